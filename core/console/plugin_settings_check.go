package console

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/errs"
)

// PluginSettingsCheck is the form's Test button: the values are checked by
// the schema and, when the plugin runs, by the plugin itself (which may try
// the connection), and nothing is saved (admins).
func (c *Console) PluginSettingsCheck(g *gin.Context) {
	in, err := c.settingsInput(g)
	if err != nil {
		c.fail(g, err)
		return
	}
	res, err := c.Plugins.TestSettings(g.Request.Context(), actorOf(g), g.Param("id"), in)
	if err != nil && !errs.Is(err, errs.Unavailable) {
		c.fail(g, err)
		return
	}
	if err != nil { // the plugin could not answer: say so above the form
		c.showPlugin(g, http.StatusOK, submitted{typed: &in, err: errs.As(err)})
		return
	}
	fields := map[string]string{}
	for _, fe := range res.Errors {
		name := fe.Field
		if name == "" {
			name = "_"
		}
		fields[name] = fe.Message
	}
	var ferr *errs.Error
	if len(fields) > 0 {
		ferr = &errs.Error{Kind: errs.Invalid, Message: "the settings are not valid", Fields: fields}
	}
	c.showPlugin(g, http.StatusOK, submitted{typed: &in, err: ferr, test: res})
}
