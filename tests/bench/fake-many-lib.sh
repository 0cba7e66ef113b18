# SPDX-License-Identifier: GPL-3.0-or-later
# fake-many-lib.sh: fake-xapi-many started and stopped for b0320 and t0535
# (sourced; the caller's EXIT trap kills $fake if it is still set).
#
#   start_fake HOSTS DELAY_MS DIR   on a free port: sets PORT and fake, its
#                                   output in DIR/fake.out; exits 1 if it
#                                   cannot start
#   stop_fake                       TERM, wait, and print its last line
#                                   (requests, sessions left open, CPU)
fake=

start_fake() {
	for try in 1 2 3 4 5; do
		PORT=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000))
		tests/bench/fake-xapi-many $PORT $1 4 $2 >$3/fake.out 2>&1 &
		fake=$!
		fake_out=$3/fake.out
		n=0
		# exactly "ready": "bind: Address already in use" contains it
		while ! grep -qx ready $fake_out 2>/dev/null && kill -0 $fake 2>/dev/null && [ $n -lt 50 ]; do
			sleep 0.1
			n=$((n + 1))
		done
		grep -qx ready $fake_out && return 0
		kill $fake 2>/dev/null
		fake=
	done
	echo "fake-xapi-many did not start: $(cat $fake_out)"
	exit 1
}

stop_fake() {
	kill -TERM $fake
	wait $fake 2>/dev/null || true
	fake=
	sed -n 's/^fake server: /  fake server: /p' $fake_out
}
