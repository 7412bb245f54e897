# keys.awk: fills a man page template from the keybinding table.
#
#   awk -v keys=KEYS.tsv -v version=V -v datadir=DIR -v sharedir=DIR \
#       -v localedir=DIR -f keys.awk PAGE.in
#
# KEYS.tsv is what `ambt keys` prints with no config (view, key, action and
# description, tab-separated), so the page shows exactly the table the
# program has. In the template a line "@KEYS@" becomes one subsection per
# view, "@ACTIONS@" the list of action names for bind lines, and
# @VERSION@, @PKGDATADIR@, @DATADIR@ and @LOCALEDIR@ are replaced.

BEGIN {
	FS = "\t"
	title["global"] = "In every view (global)"
	title["list"] = "Lists: start page, topics, categories, search, notifications, members, events (list)"
	title["thread"] = "A thread (thread)"
	title["profile"] = "A member's profile (profile)"
	title["event"] = "An event (event)"
	title["help"] = "The help screen (help)"
	n = 0
	while ((getline line < keys) > 0) {
		split(line, f, "\t")
		if (f[4] == "")
			continue
		n++
		view[n] = f[1]; key[n] = f[2]; action[n] = f[3]; desc[n] = f[4]
	}
	close(keys)
	if (n == 0) {
		print "keys.awk: no keys in " keys > "/dev/stderr"
		exit 1
	}
}

# Text for roff: backslashes and hyphens escaped, no control line.
function esc(s) {
	gsub(/\\/, "\\e", s)
	gsub(/-/, "\\-", s)
	if (s ~ /^[.']/)
		s = "\\&" s
	return s
}

# Text lines of at most 78 bytes (mandoc's lint wants 80), cut at spaces.
function wrap(s,    cut) {
	while (length(s) > 78) {
		cut = 78
		while (cut > 1 && substr(s, cut, 1) != " ")
			cut--
		if (cut <= 1)
			break
		print substr(s, 1, cut - 1)
		s = substr(s, cut + 1)
	}
	print s
}

# One subsection per view, in the order of views[] below and then any view
# the table has besides; a view with no keys of its own says so.
function keys_section(    v, i, m, order, line, prev) {
	m = split("global list thread profile event help", order, " ")
	for (i = 1; i <= n; i++)
		if (!(view[i] in title) && !(view[i] in extra)) {
			extra[view[i]] = 1
			order[++m] = view[i]
		}
	for (v = 1; v <= m; v++) {
		printf ".SS \"%s\"\n", (order[v] in title) ? title[order[v]] : order[v] " (" order[v] ")"
		prev = ""
		for (i = 1; i <= n; i++) {
			if (view[i] != order[v])
				continue
			if (action[i] != prev) {
				print ".TP"
				line = "\\fB" esc(key[i]) "\\fR"
			} else {
				line = line ", \\fB" esc(key[i]) "\\fR"
			}
			prev = action[i]
			if (i == n || view[i + 1] != view[i] || action[i + 1] != action[i]) {
				print line " \\(em \\fI" esc(action[i]) "\\fR"
				wrap(esc(desc[i]) ".")
			}
		}
		if (prev == "")
			print "No keys of its own: the global keys apply."
	}
}

# Each action once, in the table's order, with the views of its keys.
function actions_section(    i, order, m, a) {
	m = 0
	for (i = 1; i <= n; i++) {
		if (!(action[i] in seen)) {
			seen[action[i]] = desc[i]
			order[++m] = action[i]
		}
		if (index(" " views[action[i]] " ", " " view[i] " ") == 0)
			views[action[i]] = views[action[i]] (views[action[i]] == "" ? "" : " ") view[i]
	}
	for (i = 1; i <= m; i++) {
		a = order[i]
		print ".TP"
		print ".B " esc(a)
		wrap(esc(seen[a]) " (by default in: " views[a] ").")
	}
}

/^@KEYS@$/ { keys_section(); next }
/^@ACTIONS@$/ { actions_section(); next }
{
	gsub(/@VERSION@/, version)
	gsub(/@PKGDATADIR@/, datadir)
	gsub(/@DATADIR@/, sharedir)
	gsub(/@LOCALEDIR@/, localedir)
	print
}
