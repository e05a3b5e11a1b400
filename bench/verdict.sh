# bench/verdict.sh - a figure against its goal, for the results tables.
# Source it.
met_eq() { [ "$1" = "$2" ] && echo met || echo "NOT met"; }	# met_eq GOT WANT
met_le() {	# met_le GOT BOUND (numbers, decimals allowed)
	awk -v a="$1" -v b="$2" 'BEGIN { print (a + 0 <= b + 0) ? "met" : "NOT met" }'
}
