package console

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/pluginhost"
	"github.com/guichet/guichet/sdk"
)

type pluginView struct {
	Page
	P        pluginLine
	Fields   []fieldView
	Revision int64
	// Refused is the plugin's reason for refusing the whole configuration
	// (the last good one stays active).
	Refused string
	// Tested is set after the Test button; TestOK when nothing was wrong,
	// CheckedByPlugin when the running plugin checked too.
	Tested, TestOK, CheckedByPlugin bool
}

// fieldView is one generated form field: the schema with the texts in the
// agent's language and the value to show. A secret's value is never here.
type fieldView struct {
	Name, Type, Label, Help string
	Value, Placeholder      string
	Required, SecretSet     bool
	Checked                 bool
	Min, Max, Pattern       string
	Options                 []optionView
	Error                   string
}

type optionView struct {
	Value, Label string
	Selected     bool
}

// PluginShow shows one plugin: state, health, what it may send out, its
// settings form and its recent log lines (admins).
func (c *Console) PluginShow(g *gin.Context) { c.showPlugin(g, http.StatusOK, submitted{}) }

// submitted is what a settings form post brings back to the page: the
// values typed (kept in the form), the problems, the Test button's result.
type submitted struct {
	typed *pluginhost.SettingsInput
	err   *errs.Error
	test  *pluginhost.TestResult
}

// showPlugin renders the plugin page, with what was submitted if anything.
func (c *Console) showPlugin(g *gin.Context, status int, sub submitted) {
	typed, formErr := sub.typed, sub.err
	ctx, id := g.Request.Context(), g.Param("id")
	p, err := c.Plugins.Get(ctx, id)
	if err != nil {
		c.fail(g, err)
		return
	}
	view := pluginView{Page: c.page(g, p.Name, "plugins")}
	view.P = lineOf(p, view.L.Lang)
	if p.Name == "" {
		view.Title = p.ID
	}
	if form, err := c.Plugins.SettingsForm(ctx, id); err == nil { // a broken plugin has no form
		view.Revision = form.Revision
		for _, f := range form.Fields {
			view.Fields = append(view.Fields, fieldOf(f, view.L.Lang, typed))
		}
	}
	if sub.test != nil {
		view.Tested, view.CheckedByPlugin = true, sub.test.CheckedByPlugin
		view.TestOK = formErr == nil
	}
	if formErr != nil {
		view.Refused = view.fieldErrors(formErr.Fields)
		if formErr.Fields == nil {
			view.Err = formErr
		}
	}
	c.render(g, status, "plugin_show", &view)
}

// fieldErrors puts each message beside its field and returns the one about
// the configuration as a whole ("_" or a field the form does not show).
func (view *pluginView) fieldErrors(fields map[string]string) string {
	rest := ""
	for name, msg := range fields {
		placed := false
		for i := range view.Fields {
			if view.Fields[i].Name == name {
				view.Fields[i].Error, placed = msg, true
			}
		}
		if !placed {
			rest += msg + " "
		}
	}
	return rest
}

func fieldOf(f pluginhost.FormField, lang string, typed *pluginhost.SettingsInput) fieldView {
	v := fieldView{Name: f.Name, Type: f.Type, Label: textIn(f.Label, lang), Help: textIn(f.Help, lang),
		Value: f.Value, Required: f.Required, SecretSet: f.SecretSet, Pattern: f.Pattern, Placeholder: f.Default}
	if typed != nil && f.Type != sdk.TypeSecret {
		v.Value = typed.Values[f.Name]
	}
	if f.Min != nil {
		v.Min = strconv.FormatInt(*f.Min, 10)
	}
	if f.Max != nil {
		v.Max = strconv.FormatInt(*f.Max, 10)
	}
	// A stored secret is kept when the field is left empty, so the browser
	// must not insist on a value.
	if f.Type == sdk.TypeSecret {
		v.Value, v.Required = "", f.Required && !f.SecretSet
	}
	chosen := v.Value
	if chosen == "" {
		chosen = f.Default
	}
	v.Checked = f.Type == sdk.TypeBoolean && chosen == "true"
	for _, o := range f.Options {
		v.Options = append(v.Options, optionView{Value: o.Value, Label: textIn(o.Label, lang), Selected: o.Value == chosen})
	}
	return v
}
