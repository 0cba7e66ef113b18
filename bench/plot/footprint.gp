# SPDX-License-Identifier: GPL-3.0-or-later
# footprint.gp: memory one guest holds, by profile: its memory= at creation,
# and the mean and 95th percentile of its allocation after boot.
set title 'Per-guest footprint by profile'
set ylabel 'memory per guest (MiB)'
set xlabel 'profile'
set yrange [0:*]
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border rgb '#444444'
set boxwidth 0.9
set key top right
# profile names may hold '_', which enhanced text would make a subscript
set xtics noenhanced
plot 'footprint.csv' using (column('memory_kib')/1024.0):xticlabels(stringcolumn('profile')) \
	lc rgb '#bbbbbb' title 'memory= at creation (MiB)', \
     '' using (column('mean_kib')/1024.0) lc rgb '#1b9e77' title 'mean allocation (MiB)', \
     '' using (column('p95_kib')/1024.0) lc rgb '#d95f02' title '95th percentile (MiB)'
unset output
