# SPDX-License-Identifier: GPL-3.0-or-later
# ratio.gp: memory allocated to guests over memory used, by guest count
# (seed Fig. 8); above 1 is overcommitment.
stats 'bycount.csv' using (column('guests') >= 1 ? column('ratio') : NaN) nooutput
mean = STATS_mean
set title 'Overcommitment: allocated over used memory'
set xlabel 'guests started'
set ylabel 'allocated / used (ratio)'
set yrange [0:*]
set xrange [1:*]
set key bottom right
plot 'bycount.csv' using (column('guests') >= 1 ? column('guests') : NaN):(column('ratio')) \
	with linespoints ls 2 title 'allocated / used', \
     mean with lines ls 1 title sprintf('mean %.2f', mean), \
     1 with lines ls 4 title 'no overcommitment (1.0)'
unset output
