# SPDX-License-Identifier: GPL-3.0-or-later
# common.gp: terminal, output and style shared by the xvmon-bench charts.
# xvmon-bench sends gnuplot, on its standard input and for each chart and
# format: reset, fmt ('png' or 'svg') and out (a fixed file name), this file,
# then the chart's own script.  gnuplot runs in the run's directory: the
# scripts read the CSV files by their plain names, and no path or data ever
# becomes part of a command.
if (fmt eq 'svg') {
	set terminal svg size 900,540 enhanced font 'Sans,12' background rgb 'white'
} else {
	set terminal pngcairo size 900,540 enhanced font 'Sans,11' background rgb 'white'
}
set output out
set datafile separator ','
set datafile columnheaders
set grid lc rgb '#dddddd'
set border lc rgb '#444444'
set key opaque box
set style line 1 lc rgb '#d95f02' lw 2 pt 7 ps 0.6
set style line 2 lc rgb '#1b9e77' lw 2 pt 5 ps 0.6
set style line 3 lc rgb '#7570b3' lw 2 dt 2
set style line 4 lc rgb '#888888' lw 1
