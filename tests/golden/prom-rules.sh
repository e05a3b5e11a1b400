#!/bin/sh
# prom-rules.sh - the shipped Prometheus alerting rules
# (contrib/prometheus/tcpsleuth.rules.yml) load in Debian 12's promtool
# and pass their unit tests (tests/prometheus/tcpsleuth.rules.test.yml:
# each alert fires after its hold with the series' labels, and the cases
# under the threshold or shorter than the hold do not).
. "$(dirname "$0")/../lib.sh"
command -v promtool >/dev/null || skip_all "needs promtool (Debian package prometheus)"
R=$TOP_SRCDIR/contrib/prometheus/tcpsleuth.rules.yml
out=$(promtool check rules "$R" 2>&1)
check "promtool check rules: $(echo "$out" | grep -o '[0-9]* rules found')" \
    sh -c "echo '$out' | grep -q SUCCESS"
out=$(promtool test rules "$TOP_SRCDIR/tests/prometheus/tcpsleuth.rules.test.yml" 2>&1)
rc=$?
[ $rc -eq 0 ] || echo "$out" | sed 's/^/# /'
is "$rc" 0 "promtool test rules: every alert fires when and only when it should"
for a in $(sed -n 's/^ *- alert: *//p' "$R"); do
	check "$a has a unit test" grep -q "alertname: $a\$" \
	    "$TOP_SRCDIR/tests/prometheus/tcpsleuth.rules.test.yml"
done
done_testing
