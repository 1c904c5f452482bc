// Package markup turns what people type into HTML that is safe to show: plain
// text with clickable links, Markdown through goldmark without raw HTML, and
// any HTML through one bluemonday policy. It is the only package that uses
// goldmark or bluemonday. It must not import net/http or gin.
package markup

import (
	"bytes"
	"html"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

var policy = newPolicy()

func newPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	p.AllowRelativeURLs(true)
	return p
}

// Sanitize keeps only safe HTML: structure, formatting, and links whose
// scheme is http, https or mailto.
func Sanitize(s string) string { return policy.Sanitize(s) }

var linkPattern = regexp.MustCompile(`(?i)\bhttps?://[^\s<>"']+|\bmailto:[^\s<>"']+|\b[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}\b`)

// PlainToHTML escapes text, keeps its paragraphs and line breaks, and makes
// http, https and mailto links (and bare email addresses) clickable.
func PlainToHTML(text string) string {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	var b strings.Builder
	for _, para := range strings.Split(strings.TrimSpace(text), "\n\n") {
		para = strings.Trim(para, "\n")
		if para == "" {
			continue
		}
		b.WriteString("<p>")
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				b.WriteString("<br>")
			}
			b.WriteString(linkify(line))
		}
		b.WriteString("</p>\n")
	}
	return Sanitize(b.String())
}

func linkify(line string) string {
	var b strings.Builder
	last := 0
	for _, m := range linkPattern.FindAllStringIndex(line, -1) {
		b.WriteString(html.EscapeString(line[last:m[0]]))
		raw := strings.TrimRight(line[m[0]:m[1]], ".,;:!?)")
		href := raw
		if !strings.Contains(strings.ToLower(raw), ":") {
			href = "mailto:" + raw
		}
		b.WriteString(`<a href="` + html.EscapeString(href) + `">` + html.EscapeString(raw) + `</a>`)
		last = m[0] + len(raw)
	}
	b.WriteString(html.EscapeString(line[last:]))
	return b.String()
}

var md = goldmark.New(goldmark.WithExtensions(extension.GFM))

// Markdown renders Markdown to sanitized HTML; raw HTML in the source is
// dropped by goldmark and anything else unsafe by the policy.
func Markdown(src string) (string, error) {
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		return "", err
	}
	return Sanitize(buf.String()), nil
}

var (
	tagPattern = regexp.MustCompile(`<[^>]*>`)
	blankLines = regexp.MustCompile(`\n{3,}`)
)

// HTMLToText gives a plain-text rendering of sanitized HTML, for search and
// for the text part of mails.
func HTMLToText(s string) string {
	s = strings.NewReplacer("<br>", "\n", "<br/>", "\n", "</p>", "\n\n", "</li>", "\n").Replace(s)
	s = html.UnescapeString(tagPattern.ReplaceAllString(s, ""))
	return strings.TrimSpace(blankLines.ReplaceAllString(s, "\n\n"))
}
