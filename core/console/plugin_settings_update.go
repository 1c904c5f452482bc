package console

import (
	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/pluginhost"
	"github.com/guichet/guichet/sdk"
)

// PluginSettingsUpdate saves a new settings revision (admins). Invalid
// values come back beside their fields with what was typed (secrets
// excepted); a configuration the plugin refuses leaves the last good one
// active.
func (c *Console) PluginSettingsUpdate(g *gin.Context) {
	in, err := c.settingsInput(g)
	if err != nil {
		c.fail(g, err)
		return
	}
	_, err = c.Plugins.SaveSettings(g.Request.Context(), actorOf(g), g.Param("id"), in)
	if errs.Is(err, errs.Invalid) {
		c.showPlugin(g, statusOf(err), submitted{typed: &in, err: errs.As(err)})
		return
	}
	if err != nil {
		c.fail(g, err)
		return
	}
	c.done(g, "/plugins/"+g.Param("id"), "saved")
}

// settingsInput reads the generated form: one "s.<name>" input per schema
// field (nothing else is read), secrets to clear in "clear".
func (c *Console) settingsInput(g *gin.Context) (pluginhost.SettingsInput, error) {
	form, err := c.Plugins.SettingsForm(g.Request.Context(), g.Param("id"))
	if err != nil {
		return pluginhost.SettingsInput{}, err
	}
	in := pluginhost.SettingsInput{Values: map[string]string{}}
	clear := map[string]bool{}
	for _, n := range g.PostFormArray("clear") {
		clear[n] = true
	}
	for _, f := range form.Fields {
		v := g.PostForm("s." + f.Name)
		switch {
		case f.Type == sdk.TypeBoolean:
			v = "false"
			if g.PostForm("s."+f.Name) == "true" {
				v = "true"
			}
		case f.Type == sdk.TypeSecret && clear[f.Name]:
			in.ClearSecrets = append(in.ClearSecrets, f.Name)
			continue
		}
		in.Values[f.Name] = v
	}
	return in, nil
}
