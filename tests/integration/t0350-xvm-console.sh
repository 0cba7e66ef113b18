#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# xvm-console: the command a text console runs (exec'ed with its argv, never a
# shell), the endpoint of a graphical one, and clear refusals without a
# terminal or an X11 display.
. "$TOP/tests/integration/lib.sh"
X=contrib/xvm-console

cp $DATA/pool/xen-a.sim $DATA/pool/xen-b.sim $WORK/
cat >>$WORK/xen-b.sim <<'EOS'

[domain desk]
id = 12
state = blocked
memory = 1G
console = vnc://127.0.0.1:5912
EOS
cat >$WORK/pool.ini <<'EOS'
[pool prod]
[host xen-a]
pool = prod
source = sim:xen-a.sim
[host xen-b]
pool = prod
source = sim:xen-b.sim
EOS

run $X -i $WORK/pool.ini --print web2
expect 0 "xl console 2"
run $X -i $WORK/pool.ini --print desk
expect 0 "vnc://127.0.0.1:5912"

# no terminal: refused before anything runs
mkdir $WORK/bin
printf '#!/bin/sh\necho "xl $*" >%s/ran\n' $WORK >$WORK/bin/xl
printf '#!/bin/sh\necho "viewer $*" >%s/ran\n' $WORK >$WORK/bin/vncviewer
chmod 755 $WORK/bin/xl $WORK/bin/vncviewer
run env PATH=$WORK/bin:$PATH $X -i $WORK/pool.ini web2 </dev/null
[ "$RC" = 64 ] && [ "$ERR" = "xvm-console: web2: the text console needs a terminal (log in with ssh -t; --print shows the command)" ] ||
	fail "no terminal: $RC $ERR"
[ ! -e $WORK/ran ] || fail "ran without a terminal"
# no X11 display for a graphical console
run env -u DISPLAY PATH=$WORK/bin:$PATH $X -i $WORK/pool.ini desk
[ "$RC" = 64 ] && [ "$ERR" = "xvm-console: desk: the console is graphical (vnc://127.0.0.1:5912) and there is no X11 display (log in with ssh -X, or --print shows the endpoint)" ] ||
	fail "no display: $RC $ERR"
# with a display: the viewer, exec'ed with HOST::PORT
run env DISPLAY=:99 PATH=$WORK/bin:$PATH $X -i $WORK/pool.ini desk
[ "$RC" = 0 ] && [ "$(cat $WORK/ran)" = "viewer 127.0.0.1::5912" ] || fail "viewer: $RC $ERR"
run env DISPLAY=:99 XVMON_VNCVIEWER=/nonexistent/viewer $X -i $WORK/pool.ini desk
[ "$RC" = 69 ] && [ "$ERR" = "xvm-console: cannot run '/nonexistent/viewer': No such file or directory" ] || fail "missing viewer: $RC $ERR"
checks=$((checks + 5))

# a text console on a terminal (script(1) gives one): the command runs with its argv
if command -v script >/dev/null; then
	rm -f $WORK/ran
	script -qec "env PATH=$WORK/bin:$PATH $TOP/$X -i $WORK/pool.ini web2" /dev/null >/dev/null </dev/null
	[ "$(cat $WORK/ran)" = "xl console 2" ] || fail "text console: $(cat $WORK/ran 2>&1)"
	checks=$((checks + 1))
else
	printf '# script(1) missing: the terminal case is not run\n'
fi

# hostile names and usage
run $X -i $WORK/pool.ini --print '$(touch pwned)'
[ "$RC" = 1 ] && [ ! -e pwned ] || fail "hostile name: $RC"
run $X -i $WORK/pool.ini
[ "$RC" = 64 ] || fail "no name: $RC"
run $X -i $WORK/pool.ini --print Domain-0
[ "$RC" = 64 ] || fail "Domain-0: $RC $ERR"
checks=$((checks + 3))
done_testing
