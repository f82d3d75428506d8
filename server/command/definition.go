package command

import (
	"context"
	"fmt"

	"github.com/mattermost/mattermost/server/public/model"
)

// autocomplete is the engine's description of /tokens for Mattermost's autocomplete.
type autocomplete struct {
	Trigger     string `json:"trigger"`
	Hint        string `json:"hint"`
	Description string `json:"description"`
	Subcommands []struct {
		Name      string `json:"name"`
		Hint      string `json:"hint"`
		Help      string `json:"help"`
		Arguments []struct {
			Kind    string `json:"kind"`
			Name    string `json:"name"`
			Help    string `json:"help"`
			Hint    string `json:"hint"`
			Pattern string `json:"pattern"`
			Items   []struct {
				Item string `json:"item"`
				Help string `json:"help"`
			} `json:"items"`
		} `json:"arguments"`
	} `json:"subcommands"`
}

// Definition is /tokens as the engine's grammar describes it, with its autocomplete tree; displayName
// is the plugin's name from its manifest. A server registers one command for every user, so the
// texts are the engine's English.
func Definition(ctx context.Context, e Engine, displayName string) (*model.Command, error) {
	var tree autocomplete
	if err := e.Call(ctx, methodAutocomplete, map[string]string{"locale": "en"}, &tree); err != nil {
		return nil, err
	}
	root := model.NewAutocompleteData(tree.Trigger, tree.Hint, tree.Description)
	// Only admins may use it, so only admins are offered it.
	root.RoleID = model.SystemAdminRoleId
	for _, sub := range tree.Subcommands {
		data := model.NewAutocompleteData(sub.Name, sub.Hint, sub.Help)
		for _, arg := range sub.Arguments {
			items := make([]model.AutocompleteListItem, len(arg.Items))
			for i, item := range arg.Items {
				items[i] = model.AutocompleteListItem{Item: item.Item, HelpText: item.Help}
			}
			switch arg.Kind {
			case "static_list":
				data.AddStaticListArgument(arg.Help, false, items)
			case "named_static_list":
				data.AddNamedStaticListArgument(arg.Name, arg.Help, false, items)
			case "named_text":
				data.AddNamedTextArgument(arg.Name, arg.Help, arg.Hint, arg.Pattern, false)
			case "text":
				data.AddTextArgument(arg.Help, arg.Hint, arg.Pattern)
			default:
				return nil, fmt.Errorf("/%s %s: the engine describes an argument of unknown kind %q", tree.Trigger, sub.Name, arg.Kind)
			}
		}
		root.AddCommand(data)
	}
	if err := root.IsValid(); err != nil {
		return nil, fmt.Errorf("/%s autocomplete: %w", tree.Trigger, err)
	}
	return &model.Command{
		Trigger:          tree.Trigger,
		DisplayName:      displayName,
		Description:      tree.Description,
		AutoComplete:     true,
		AutoCompleteDesc: tree.Description,
		AutoCompleteHint: tree.Hint,
		AutocompleteData: root,
	}, nil
}
