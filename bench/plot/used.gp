# SPDX-License-Identifier: GPL-3.0-or-later
# used.gp: memory used on the host against memory allocated to guests, by
# guest count, with the physical memory line (seed Fig. 7).
stats 'bycount.csv' using (column('physical_kib')/1048576.0) nooutput
phys = STATS_max
set title 'Used memory against memory allocated to guests'
set xlabel 'guests started'
set ylabel 'memory (GiB)'
set yrange [0:*]
set xrange [0:*]
set key top left
plot 'bycount.csv' using (column('guests')):(column('allocated_kib')/1048576.0) \
	with linespoints ls 1 title 'allocated to guests (sum of memory=, GiB)', \
     '' using (column('guests')):(column('used_mean_kib')/1048576.0) \
	with linespoints ls 2 title 'used (physical - free, mean, GiB)', \
     phys with lines ls 3 title sprintf('physical memory (%.0f GiB)', phys)
unset output
