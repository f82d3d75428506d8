package command

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/tokenaudit/token-audit/server/store"
)

type subcommand struct {
	name, usage, description string
}

var subcommands = []subcommand{
	{"help", "/tokens help", "Show this help."},
	{"list", "/tokens list [--active|--inactive] [--finding <name>] [--page N]", "List every token on the server."},
	{"user", "/tokens user @username", "List one user's tokens."},
	{"search", "/tokens search <term>", "Find tokens by token id, user id or username."},
	{"show", "/tokens show <token-id>", "Show one token in detail."},
	{"revoke", "/tokens revoke <token-id> [<token-id>...] [--yes]", "Delete tokens and end their sessions. Asks for --yes."},
	{"disable", "/tokens disable <token-id> [<token-id>...] [--yes]", "Disable tokens and end their sessions. Asks for --yes."},
	{"enable", "/tokens enable <token-id> [<token-id>...] [--yes]", "Enable disabled tokens."},
	{"audit", "/tokens audit", "Summarise the findings."},
	{"policy", "/tokens policy", "Show the audit policy: thresholds, findings and exemptions."},
}

const rootUsage = "/tokens [help|list|user|search|show|revoke|disable|enable|audit|policy]"

// The webapp's limits (webapp/src/command/parse.ts), so both paths refuse the same commands.
const (
	maxInputLen = 4000
	maxIDs      = 100
)

func usageOf(name string) string {
	i := slices.IndexFunc(subcommands, func(s subcommand) bool { return s.name == name })
	return subcommands[i].usage
}

// invocation is a well-formed /tokens command. Only what the server acts on is kept.
type invocation struct {
	name string
	ids  []string
	yes  bool
}

// usageError is a malformed command: one line saying what is wrong, then the usage.
type usageError struct {
	problem, usage string
}

func (e *usageError) Error() string {
	return fmt.Sprintf("%s\nUsage: `%s`", e.problem, e.usage)
}

// parse checks a /tokens command line against the grammar of every subcommand, including those
// only the webapp runs, so a malformed command gets the same answer everywhere.
func parse(line string) (invocation, error) {
	if _, rest, _ := strings.Cut(strings.TrimSpace(line), " "); utf8.RuneCountInString(rest) > maxInputLen {
		return invocation{}, &usageError{fmt.Sprintf("The command is too long (more than %d characters).", maxInputLen), rootUsage}
	}
	fields := strings.Fields(line)
	if len(fields) < 2 {
		return invocation{name: "help"}, nil
	}
	inv := invocation{name: strings.ToLower(fields[1])}
	args := fields[2:]
	fail := func(format string, a ...any) (invocation, error) {
		return invocation{}, &usageError{fmt.Sprintf(format, a...), usageOf(inv.name)}
	}

	switch inv.name {
	case "help", "audit", "policy":
		if len(args) > 0 {
			return fail("`/tokens %s` takes no arguments.", inv.name)
		}
	case "list":
		if problem := checkList(args); problem != "" {
			return fail("%s", problem)
		}
	case "user":
		if len(args) != 1 || !model.IsValidUsername(strings.TrimPrefix(args[0], "@")) {
			return fail("Name one user, as @username.")
		}
	case "search":
		if len(args) == 0 {
			return fail("Give a token id, user id or username to search for.")
		}
	case "show":
		if len(args) != 1 || !store.IsID(args[0]) {
			return fail("Give one token id (26 characters a-z, 0-9).")
		}
	case "revoke", "disable", "enable":
		for _, a := range args {
			switch {
			case a == "--yes":
				inv.yes = true
			case store.IsID(a):
				if !slices.Contains(inv.ids, a) {
					inv.ids = append(inv.ids, a)
				}
			default:
				return fail("`%s` is not a token id (26 characters a-z, 0-9).", a)
			}
		}
		if len(inv.ids) == 0 {
			return fail("Give at least one token id.")
		}
		if len(inv.ids) > maxIDs {
			return fail("At most %d tokens at a time; use the System Console for more.", maxIDs)
		}
	default:
		return invocation{}, &usageError{fmt.Sprintf("Unknown subcommand `%s`.", inv.name), rootUsage}
	}
	return inv, nil
}

func checkList(args []string) string {
	given := map[string]bool{}
	for i := 0; i < len(args); i++ {
		flag := args[i]
		if given[flag] {
			return fmt.Sprintf("Give %s once.", flag)
		}
		given[flag] = true
		switch flag {
		case "--active", "--inactive":
			if given["--active"] && given["--inactive"] {
				return "Use only one of --active and --inactive."
			}
		case "--finding", "--page":
			if i+1 == len(args) {
				return fmt.Sprintf("%s needs a value.", flag)
			}
			i++
			if flag == "--finding" && !slices.Contains(store.FindingNames, args[i]) {
				return fmt.Sprintf("Unknown finding `%s`; use one of %s.", args[i], strings.Join(store.FindingNames, ", "))
			}
			if n, err := strconv.Atoi(args[i]); flag == "--page" && (err != nil || n < 1) {
				return fmt.Sprintf("--page must be a whole number from 1, not `%s`.", args[i])
			}
		default:
			return fmt.Sprintf("Unknown argument `%s`.", flag)
		}
	}
	return ""
}
