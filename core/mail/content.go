package mail

import (
	"html/template"
	"strings"
)

// content is what a customer mail says; render turns it into the text and
// HTML alternatives, which always carry the same words.
type content struct {
	Brand      string
	Lang       string
	Paragraphs []string
	Code       string
	Quote      string
	QuoteHTML  template.HTML // produced by markup.PlainToHTML: escaped, safe links only
	After      []string
	Link       string
	LinkLabel  string
	Footer     string
}

// The HTML part uses inline styles only: mail clients drop style sheets.
var htmlTemplate = template.Must(template.New("mail").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{.Brand}}</title></head>
<body style="margin:0;padding:16px;background:#f4f5f7;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1d2330">
<div style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:24px">
<p style="margin:0 0 16px;font-weight:600;color:#2457c5">{{.Brand}}</p>
{{range .Paragraphs}}<p style="margin:0 0 12px;line-height:1.5">{{.}}</p>{{end}}
{{if .Code}}<p style="margin:16px 0;font-size:32px;letter-spacing:6px;font-weight:700;font-family:ui-monospace,monospace">{{.Code}}</p>{{end}}
{{if .QuoteHTML}}<div style="margin:12px 0;padding:8px 12px;border-left:3px solid #c8cdd8;line-height:1.5">{{.QuoteHTML}}</div>{{end}}
{{range .After}}<p style="margin:0 0 12px;line-height:1.5">{{.}}</p>{{end}}
{{if .Link}}<p style="margin:16px 0"><a href="{{.Link}}" style="display:inline-block;background:#2457c5;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">{{.LinkLabel}}</a></p>
<p style="margin:0 0 12px;font-size:13px;word-break:break-all;color:#555">{{.Link}}</p>{{end}}
<p style="margin:24px 0 0;font-size:12px;color:#666">{{.Footer}}</p>
</div></body></html>`))

func (c content) render() (text, html string, err error) {
	var t strings.Builder
	t.WriteString(c.Brand + "\n\n")
	for _, p := range c.Paragraphs {
		t.WriteString(p + "\n\n")
	}
	if c.Code != "" {
		t.WriteString("    " + c.Code + "\n\n")
	}
	if c.Quote != "" {
		for _, line := range strings.Split(c.Quote, "\n") {
			t.WriteString("> " + line + "\n")
		}
		t.WriteString("\n")
	}
	for _, p := range c.After {
		t.WriteString(p + "\n\n")
	}
	if c.Link != "" {
		t.WriteString(c.Link + "\n\n")
	}
	t.WriteString("-- \n" + c.Footer + "\n")
	var h strings.Builder
	if err := htmlTemplate.Execute(&h, c); err != nil {
		return "", "", err
	}
	return t.String(), h.String(), nil
}
