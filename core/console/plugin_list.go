package console

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/pluginhost"
	"github.com/guichet/guichet/sdk"
)

type pluginListView struct {
	Page
	Plugins []pluginLine
	// Dir is where plugins are installed, for the empty state.
	Dir string
}

// pluginLine is one plugin with its texts in the agent's language.
type pluginLine struct {
	pluginhost.Plugin
	Desc   string
	Egress []egressLine
}

// egressLine is one declared flow of data out of the machine; AI marks the
// ones that send text to an external AI, shown as a warning.
type egressLine struct {
	Kind string
	Data string
	AI   bool
}

// PluginList lists the installed plugins with their state and what data
// each may send out (admins).
func (c *Console) PluginList(g *gin.Context) {
	list, err := c.Plugins.List(g.Request.Context())
	if err != nil {
		c.fail(g, err)
		return
	}
	view := pluginListView{Page: c.page(g, "", "plugins"), Dir: c.PluginDir}
	view.Title = view.L.T("plugins.title")
	for _, p := range list {
		view.Plugins = append(view.Plugins, lineOf(p, view.L.Lang))
	}
	c.render(g, http.StatusOK, "plugin_list", &view)
}

func lineOf(p pluginhost.Plugin, lang string) pluginLine {
	l := pluginLine{Plugin: p, Desc: textIn(p.Description, lang)}
	for _, e := range p.Egress {
		l.Egress = append(l.Egress, egressLine{Kind: e.Kind, Data: textIn(e.Data, lang), AI: e.Kind == "external_ai"})
	}
	return l
}

// textIn picks a manifest text in lang, French or English.
func textIn(t sdk.Text, lang string) string {
	if lang == "fr" && t.FR != "" {
		return t.FR
	}
	if t.EN == "" {
		return t.FR
	}
	return t.EN
}
