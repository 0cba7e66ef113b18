# SPDX-License-Identifier: GPL-3.0-or-later
# free.gp: free host memory over time, with the number of guests (seed Fig. 5).
stats 'samples.csv' using (column('time_s')) nooutput
# minutes for short runs, hours for long ones
tunit = STATS_max > 3 * 3600 ? 3600.0 : 60.0
set title 'Free host memory over time'
set xlabel (tunit == 60.0 ? 'time (min)' : 'time (h)')
set ylabel 'free memory (MiB)'
set y2label 'guests running'
set ytics nomirror
set y2tics
set yrange [0:*]
set y2range [0:*]
set key below horizontal
plot 'samples.csv' using (column('time_s')/tunit):(column('host_free_kib')/1024.0) \
	with linespoints ls 2 title 'free memory (MiB)', \
     '' using (column('time_s')/tunit):(column('guests')) axes x1y2 \
	with steps ls 4 title 'guests running'
unset output
