# mibdefs.awk - TCPSLEUTH-MIB's numbers for the C code, read from the MIB
# itself (mibs/TCPSLEUTH-MIB.txt.in), so an OID is written once: in the MIB.
# Needs no other MIB module (smidump and snmptranslate need the IETF ones).
#
#   awk -v out=h -f mibdefs.awk TCPSLEUTH-MIB.txt.in > mibdefs.h
#   awk -v out=c -f mibdefs.awk TCPSLEUTH-MIB.txt.in > mibdefs.c
#
# mibdefs.h: for every node tcpsleuthFoo, TSM_Foo (its last arc: a scalar's
# number, a column's number) and TSM_Foo_OID (its arcs below the module);
# for every scalar group and table, the lowest and highest accessible
# scalar or column (TSM_Host_MIN/_MAX, TSM_EpTable_MINCOL/_MAXCOL); the
# values of enumerations (TSM_CaptureState_running); an enum of every
# OBJECT-TYPE (TSM_ID_Foo) and NOTIFICATION-TYPE (TSM_N_Foo).
# mibdefs.c: tsm_objects[] (name, OID, access, SMI type, syntax),
# tsm_tables[] (index objects) and tsm_notifications[] (their OBJECTS).
#
# The parser knows the SMIv2 macros this MIB uses; anything else it
# cannot place (an unknown SYNTAX, a parent never defined) stops the
# build with a message naming it.

function fail(msg) {
	printf "mibdefs.awk: %s: %s\n", FILENAME, msg > "/dev/stderr"
	failed = 1
	exit 1
}

# Tokens: identifiers, numbers, ::=, braces, parentheses, commas, | and ;.
# Quoted strings become one token "" (their text is of no interest);
# comments (-- to the end of the line, or to the next --) are dropped.
function tokenize(line,    i, c, n, t, j) {
	n = length(line)
	i = 1
	while (i <= n) {
		if (instr) {
			j = index(substr(line, i), "\"")
			if (j == 0)
				return
			i += j
			instr = 0
			tok[++ntok] = "\"\""
			continue
		}
		c = substr(line, i, 1)
		if (c == " " || c == "\t" || c == "\r") {
			i++
		} else if (c == "\"") {
			instr = 1
			i++
		} else if (substr(line, i, 2) == "--") {
			j = index(substr(line, i + 2), "--")
			if (j == 0)
				return
			i += j + 3
		} else if (substr(line, i, 3) == "::=") {
			tok[++ntok] = "::="
			i += 3
		} else if (index("{}(),|;", c) > 0) {
			tok[++ntok] = c
			i++
		} else {
			t = ""
			while (i <= n) {
				c = substr(line, i, 1)
				if (c == " " || c == "\t" || c == "\r" || c == "\"" ||
				    index("{}(),|;", c) > 0 || substr(line, i, 2) == "--" ||
				    substr(line, i, 3) == "::=")
					break
				t = t c
				i++
			}
			tok[++ntok] = t
		}
	}
}

{ tokenize($0) }

# The base SMI type of a syntax: INTEGER 0x02, OCTET STRING 0x04, OBJECT
# IDENTIFIER 0x06, Counter32 0x41, Gauge32/Unsigned32 0x42, TimeTicks
# 0x43, Counter64 0x46 (net-snmp's ASN_ values).  The IETF textual
# conventions this MIB imports are listed; its own are resolved from
# their definitions.
function basetype(s,    guard) {
	guard = 0
	while (s in tcbase && guard++ < 10)
		s = tcbase[s]
	if (s == "INTEGER" || s == "Integer32" || s == "InetAddressType" ||
	    s == "InterfaceIndexOrZero" || s == "InterfaceIndex" ||
	    s == "TruthValue" || s == "InetVersion")
		return "0x02"
	if (s == "OCTET" || s == "DisplayString" || s == "DateAndTime" ||
	    s == "InetAddress" || s == "SnmpAdminString")
		return "0x04"
	if (s == "OBJECT" || s == "AutonomousType")
		return "0x06"
	if (s == "Counter32")
		return "0x41"
	if (s == "Gauge32" || s == "Unsigned32" || s == "InetPortNumber" ||
	    s == "InetZoneIndex")
		return "0x42"
	if (s == "TimeTicks" || s == "TimeStamp")
		return "0x43"
	if (s == "Counter64" || s == "CounterBasedGauge64" ||
	    s == "ZeroBasedCounter64")
		return "0x46"
	return ""
}

# Index of the token after the group that opens at tok[i] ("{" or "(").
function skip_group(i,    depth, op, cl) {
	op = tok[i]
	cl = op == "{" ? "}" : ")"
	depth = 0
	for (; i <= ntok; i++) {
		if (tok[i] == op)
			depth++
		else if (tok[i] == cl && --depth == 0)
			return i + 1
	}
	fail("unbalanced " op)
}

# A name in C: tcpsleuthHostAttemptFails -> HostAttemptFails;
# tcpsleuthd (no capital after the prefix) stays whole.
function cname(n) {
	if (n ~ /^tcpsleuth[A-Z]/)
		return substr(n, 10)
	return n
}

function define(name, kind, parent, arc) {
	if (name in kindof)
		fail("\"" name "\" defined twice")
	kindof[name] = kind
	par[name] = parent
	arcof[name] = arc
	order[++nnodes] = name
}

# The macro at tok[i] (tok[i-1] is its name) up to "::= { parent arc }".
function parse_macro(name, macro, i,    syntax, access, j, list, n) {
	syntax = ""
	access = ""
	list = ""
	for (; i <= ntok && tok[i] != "::="; ) {
		if (tok[i] == "SYNTAX" && syntax == "" && macro == "OBJECT-TYPE") {
			syntax = tok[i + 1]
			if (syntax == "INTEGER" && tok[i + 2] == "{") {
				for (j = i + 3; ; j += 5) {
					if (tok[j + 1] != "(" || tok[j + 3] != ")" ||
					    (tok[j + 4] != "," && tok[j + 4] != "}"))
						fail("\"" name "\": expected label(number)")
					enums[name] = enums[name] " " tok[j] " " tok[j + 2]
					if (tok[j + 4] == "}")
						break
				}
			}
			if (syntax == "SEQUENCE")
				syntax = "SEQUENCE OF " tok[i + 3]
			else if (syntax == "OCTET" || syntax == "OBJECT")
				syntax = syntax " " tok[i + 2]
			i++
		} else if (tok[i] == "MAX-ACCESS") {
			access = tok[i + 1]
			i += 2
		} else if ((tok[i] == "OBJECTS" && macro == "NOTIFICATION-TYPE") ||
		    (tok[i] == "INDEX" && macro == "OBJECT-TYPE")) {
			n = 0
			for (j = i + 2; tok[j] != "}"; j++)
				if (tok[j] != "," && tok[j] != "IMPLIED")
					list = list (n++ ? " " : "") tok[j]
			i = j + 1
		} else if (tok[i] == "{" || tok[i] == "(") {
			i = skip_group(i)
		} else {
			i++
		}
	}
	if (tok[i + 1] != "{" || tok[i + 4] != "}")
		fail("\"" name "\": expected ::= { parent number }")
	if (macro == "MODULE-IDENTITY") {
		if (module != "")
			fail("two MODULE-IDENTITY")
		module = name
		return i + 5
	}
	if (tok[i + 3] !~ /^[0-9]+$/)
		fail("\"" name "\": arc \"" tok[i + 3] "\" is not a number")
	define(name, macro, tok[i + 2], tok[i + 3])
	if (macro == "OBJECT-TYPE") {
		if (syntax == "" || access == "")
			fail("\"" name "\" has no SYNTAX or MAX-ACCESS")
		syn[name] = syntax
		acc[name] = access
		if (list != "")
			indexes[name] = list
	} else if (macro == "NOTIFICATION-TYPE") {
		nobjs[name] = list
	}
	return i + 5
}

END {
	if (failed)
		exit 1
	if (instr)
		fail("a string never ends")
	for (i = 1; i <= ntok; ) {
		t = tok[i]
		if (t == "IMPORTS") {
			while (i <= ntok && tok[i] != ";")
				i++
			i++
		} else if (tok[i + 1] == "::=" && tok[i + 2] == "TEXTUAL-CONVENTION") {
			for (j = i + 3; tok[j] != "SYNTAX"; j++)
				;
			tcbase[t] = tok[j + 1]
			i = j + 2
		} else if (tok[i + 1] == "::=" && tok[i + 2] == "SEQUENCE") {
			i = skip_group(i + 3)
		} else if (tok[i + 1] == "DEFINITIONS" && tok[i + 3] == "BEGIN") {
			i += 4
		} else if (tok[i + 1] == "OBJECT" && tok[i + 2] == "IDENTIFIER") {
			if (tok[i + 3] != "::=" || tok[i + 4] != "{" || tok[i + 7] != "}")
				fail("\"" t "\": expected OBJECT IDENTIFIER ::= { parent number }")
			define(t, "node", tok[i + 5], tok[i + 6])
			i += 8
		} else if (tok[i + 1] ~ /^(MODULE-IDENTITY|OBJECT-TYPE|NOTIFICATION-TYPE|OBJECT-IDENTITY|OBJECT-GROUP|NOTIFICATION-GROUP|MODULE-COMPLIANCE)$/) {
			i = parse_macro(t, tok[i + 1], i + 2)
		} else if (t == "END") {
			break
		} else {
			fail("cannot place \"" t "\" (token " i ")")
		}
	}
	if (module == "")
		fail("no MODULE-IDENTITY")

	# OIDs below the module, and the groups' ranges.
	for (k = 1; k <= nnodes; k++) {
		n = order[k]
		o = arcof[n]
		len = 1
		for (p = par[n]; p != module; p = par[p]) {
			if (!(p in kindof))
				fail("\"" n "\": parent \"" p "\" is not defined here")
			o = arcof[p] ", " o
			if (++len > 16)
				fail("\"" n "\": a loop of parents")
		}
		oid[n] = o
		oidlen[n] = len
	}
	for (k = 1; k <= nnodes; k++) {
		n = order[k]
		if (kindof[n] != "OBJECT-TYPE")
			continue
		if (syn[n] ~ /^SEQUENCE OF /) {
			kind[n] = "table"
		} else if (kindof[par[n]] == "OBJECT-TYPE" && syn[par[n]] !~ /^SEQUENCE OF /) {
			kind[n] = "column"
			entry[n] = par[n]
			tab = par[par[n]]
			if (acc[n] != "not-accessible") {
				if (!(tab in colmin) || arcof[n] + 0 < colmin[tab])
					colmin[tab] = arcof[n] + 0
				if (!(tab in colmax) || arcof[n] + 0 > colmax[tab])
					colmax[tab] = arcof[n] + 0
			}
		} else if (kindof[par[n]] == "OBJECT-TYPE") {
			kind[n] = "entry"
		} else {
			kind[n] = "scalar"
			g = par[n]
			if (acc[n] != "not-accessible" && acc[n] != "accessible-for-notify") {
				if (!(g in scmin) || arcof[n] + 0 < scmin[g])
					scmin[g] = arcof[n] + 0
				if (!(g in scmax) || arcof[n] + 0 > scmax[g])
					scmax[g] = arcof[n] + 0
			}
		}
		if (kind[n] == "scalar" || kind[n] == "column") {
			b = basetype(syn[n])
			if (b == "")
				fail("\"" n "\": unknown SYNTAX " syn[n])
			ber[n] = b
		}
	}

	gen = "generated by mibs/mibdefs.awk from mibs/TCPSLEUTH-MIB.txt.in: do not edit"
	if (out == "h")
		emit_h()
	else if (out == "c")
		emit_c()
	else
		fail("give -v out=h or -v out=c")
}

# Is node n a "object" (scalar or column), "table" or "notification"?
function is(n, what) {
	if (what == "object")
		return kind[n] == "scalar" || kind[n] == "column"
	if (what == "table")
		return kind[n] == "table"
	return kindof[n] == "NOTIFICATION-TYPE"
}

function emit_enum(comment, ename, prefix, what,    k) {
	print "/* " comment " */"
	print "enum " ename " {"
	for (k = 1; k <= nnodes; k++)
		if (is(order[k], what))
			printf "\t%s%s,\n", prefix, cname(order[k])
	print "\t" prefix "_COUNT"
	print "};"
	print ""
}

function emit_h(    k, n, c, m, w, x) {
	print "/*"
	print " * mibdefs.h - TCPSLEUTH-MIB's numbers (" gen ")."
	print " * TSM_Foo is tcpsleuthFoo's last arc, TSM_Foo_OID its arcs below the"
	print " * module's OID; scalar groups have _MIN/_MAX, tables _MINCOL/_MAXCOL"
	print " * (their accessible scalars and columns), enumerations TSM_Foo_label."
	print " */"
	print "#ifndef TS_MIBDEFS_H"
	print "#define TS_MIBDEFS_H"
	print ""
	print "#include <stddef.h>"
	print ""
	for (k = 1; k <= nnodes; k++) {
		n = order[k]
		c = cname(n)
		printf "#define TSM_%s\t%s\n", c, arcof[n]
		printf "#define TSM_%s_OID\t%s\n", c, oid[n]
		printf "#define TSM_%s_OIDLEN\t%d\n", c, oidlen[n]
		if (n in scmin) {
			printf "#define TSM_%s_MIN\t%d\n", c, scmin[n]
			printf "#define TSM_%s_MAX\t%d\n", c, scmax[n]
		}
		if (n in colmin) {
			printf "#define TSM_%s_MINCOL\t%d\n", c, colmin[n]
			printf "#define TSM_%s_MAXCOL\t%d\n", c, colmax[n]
		}
		if (n in enums) {
			m = split(enums[n], w, " ")
			for (x = 1; x < m; x += 2)
				printf "#define TSM_%s_%s\t%s\n", c, w[x], w[x + 1]
		}
	}
	print ""
	emit_enum("Every OBJECT-TYPE that is a scalar or a column, in MIB order.",
	    "tsm_id", "TSM_ID_", "object")
	emit_enum("Every table (its entry's INDEX in tsm_tables).",
	    "tsm_table_id", "TSM_T_", "table")
	emit_enum("Every NOTIFICATION-TYPE (its OBJECTS in tsm_notifications).",
	    "tsm_notif_id", "TSM_N_", "notification")
	print "enum tsm_kind { TSM_SCALAR = 1, TSM_COLUMN };"
	print "enum tsm_access {"
	print "\tTSM_NOT_ACCESSIBLE = 1, TSM_FOR_NOTIFY, TSM_READ_ONLY, TSM_READ_WRITE,"
	print "\tTSM_READ_CREATE"
	print "};"
	print "/* SMI types, as BER tags (net-snmp's ASN_INTEGER ... ASN_COUNTER64). */"
	print "enum tsm_type {"
	print "\tTSM_INTEGER = 0x02, TSM_OCTETS = 0x04, TSM_OBJID = 0x06,"
	print "\tTSM_COUNTER32 = 0x41, TSM_GAUGE = 0x42, TSM_TIMETICKS = 0x43,"
	print "\tTSM_COUNTER64 = 0x46"
	print "};"
	print ""
	print "#define TSM_MAX_ARCS\t8"
	print "#define TSM_MAX_LIST\t16"
	print ""
	print "struct tsm_object {"
	print "\tconst char\t*name;"
	print "\tconst char\t*syntax;\t/* as the MIB writes it */"
	print "\tunsigned char\t kind, access, type;"
	print "\tunsigned char\t oidlen;\t/* arcs below the module */"
	print "\tunsigned\t oid[TSM_MAX_ARCS];"
	print "};"
	print ""
	print "struct tsm_table {"
	print "\tconst char\t*name;"
	print "\tunsigned\t oid[TSM_MAX_ARCS];"
	print "\tunsigned char\t oidlen;"
	print "\tunsigned char\t mincol, maxcol, nindex;"
	print "\tenum tsm_id\t index[TSM_MAX_LIST];"
	print "};"
	print ""
	print "struct tsm_notification {"
	print "\tconst char\t*name;"
	print "\tunsigned\t arc;\t\t/* under tcpsleuthNotifications */"
	print "\tunsigned\t nobjects;"
	print "\tenum tsm_id\t objects[TSM_MAX_LIST];"
	print "};"
	print ""
	print "extern const struct tsm_object tsm_objects[TSM_ID__COUNT];"
	print "extern const struct tsm_table tsm_tables[TSM_T__COUNT];"
	print "extern const struct tsm_notification tsm_notifications[TSM_N__COUNT];"
	print ""
	print "#endif"
}

function access_c(a) {
	if (a == "not-accessible") return "TSM_NOT_ACCESSIBLE"
	if (a == "accessible-for-notify") return "TSM_FOR_NOTIFY"
	if (a == "read-only") return "TSM_READ_ONLY"
	if (a == "read-write") return "TSM_READ_WRITE"
	if (a == "read-create") return "TSM_READ_CREATE"
	fail("unknown MAX-ACCESS " a)
}

# "a b c" -> "TSM_ID_A, TSM_ID_B, ..." (each an object defined here).
function idlist(owner, s,    w, m, r, x) {
	m = split(s, w, " ")
	if (m > 16)
		fail("\"" owner "\" lists more than 16 objects")
	r = ""
	for (x = 1; x <= m; x++) {
		if (kind[w[x]] != "scalar" && kind[w[x]] != "column")
			fail("\"" owner "\" lists \"" w[x] "\", not an object of this MIB")
		r = r (x > 1 ? ", " : "") "TSM_ID_" cname(w[x])
	}
	return m " , { " r " }"
}

function emit_c(    k, n, e, m, kd) {
	print "/* mibdefs.c - TCPSLEUTH-MIB's objects (" gen "). */"
	print "#include \"mibdefs.h\""
	print ""
	print "const struct tsm_object tsm_objects[TSM_ID__COUNT] = {"
	for (k = 1; k <= nnodes; k++) {
		n = order[k]
		if (kind[n] != "scalar" && kind[n] != "column")
			continue
		kd = kind[n] == "scalar" ? "TSM_SCALAR" : "TSM_COLUMN"
		printf "\t[TSM_ID_%s] = { \"%s\", \"%s\", %s, %s, %s, %d, { %s } },\n",
		    cname(n), n, syn[n], kd, access_c(acc[n]), ber[n], oidlen[n],
		    oid[n]
	}
	print "};"
	print ""
	print "const struct tsm_table tsm_tables[TSM_T__COUNT] = {"
	for (k = 1; k <= nnodes; k++) {
		n = order[k]
		if (kind[n] != "table")
			continue
		e = ""
		for (m = 1; m <= nnodes; m++)
			if (par[order[m]] == n && kind[order[m]] == "entry")
				e = order[m]
		if (e == "" || !(e in indexes))
			fail("table \"" n "\" has no entry with an INDEX")
		printf "\t[TSM_T_%s] = { \"%s\", { %s }, %d, %d, %d, %s },\n",
		    cname(n), n, oid[n], oidlen[n], colmin[n], colmax[n],
		    idlist(e, indexes[e])
	}
	print "};"
	print ""
	print "const struct tsm_notification tsm_notifications[TSM_N__COUNT] = {"
	for (k = 1; k <= nnodes; k++) {
		n = order[k]
		if (kindof[n] != "NOTIFICATION-TYPE")
			continue
		printf "\t[TSM_N_%s] = { \"%s\", %s, %s },\n", cname(n), n,
		    arcof[n], idlist(n, nobjs[n])
	}
	print "};"
}
