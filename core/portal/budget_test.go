package portal_test

import (
	"bytes"
	"compress/gzip"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/guichet/guichet/core/server/servertest"
	"github.com/guichet/guichet/core/ticket"
)

var update = flag.Bool("update", false, "rewrite the golden files of the portal pages")

// Budget is the most a portal page may weigh, gzipped, with every asset it
// references (design.md §4).
const Budget = 20 * 1024

// mainPages goes through the customer flow and returns the HTML of the
// main pages by name, each fetched as its visitor sees it.
func mainPages(t *testing.T, h *servertest.Harness) map[string]string {
	t.Helper()
	get := func(path string) string { return h.Do(servertest.Request{Path: path}).Body }
	pages := map[string]string{"signin": get("/signin"), "notfound": get("/no/such/page")}
	post(h, "/signin", url.Values{"email": {"ana@example.com"}})
	pages["code"] = get("/signin/code")
	code := lastCode(t, h, "ana@example.com")
	post(h, "/signin/code", url.Values{"code": {code}})
	number := openTicket(t, h, "Imprimante en panne", file{"photo.png", pngBytes()})
	agentReply(t, h, number, ticket.Public, "Pouvez-vous la redémarrer ?\nMerci")
	pages["tickets"], pages["ticket_new"], pages["ticket"] = get("/tickets"), get("/tickets/new"), get("/tickets/"+number)
	runJobs(t, h)
	msgs, _ := h.App.MailSink.List(ctx, "ana@example.com", 1)
	newBrowser(h)
	pages["link"] = get(strings.TrimPrefix(regexpLink.FindString(msgs[0].Text), "http://localhost:8080"))
	return pages
}

// brand.css is generated, not in /assets, but every page loads it too.
var assetRef = regexp.MustCompile(`(?:href|src)="(/assets/[^"]+|/brand\.css)"`)

func gz(b []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Len()
}

func TestPageBudgetAndNoThirdPartyRequests(t *testing.T) {
	h := servertest.New(t, "sqlite")
	for name, body := range mainPages(t, h) {
		t.Run(name, func(t *testing.T) {
			total := gz([]byte(body))
			for _, m := range assetRef.FindAllStringSubmatch(body, -1) {
				a := h.Do(servertest.Request{Path: m[1]})
				if a.Status != 200 {
					t.Fatalf("asset %s: %d", m[1], a.Status)
				}
				total += gz([]byte(a.Body))
			}
			// Links in what people wrote are fine; nothing may be loaded from elsewhere.
			if regexp.MustCompile(`(?:src|action)="(?:https?:)?//|<link[^>]+href="(?:https?:)?//`).MatchString(body) {
				t.Errorf("%s loads something from another origin", name)
			}
			t.Logf("%s: %d bytes gzip in total", name, total)
			if total > Budget {
				t.Errorf("%s weighs %d bytes gzip, over the %d budget", name, total, Budget)
			}
		})
	}
}

// stable removes what changes from run to run: tokens, nonces, ticket
// numbers, ids, relative times.
var unstable = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`(name="(?:csrf|form_token)" value=")[^"]*`), "${1}TOKEN"},
	{regexp.MustCompile(`/t/[0-9A-Z]{5}/[A-Za-z0-9_-]{22}`), "/t/NUMBER/TOKEN"},
	{regexp.MustCompile(`/files/[a-z0-9]+`), "/files/ID"},
	{regexp.MustCompile(`\b[0-9A-HJKMNP-TV-Z]{5}\b`), "NUMBER"},
	{regexp.MustCompile(`datetime="[^"]*" title="[^"]*"`), `datetime="T" title="T"`},
	{regexp.MustCompile(`datetime="[^"]*"`), `datetime="T"`},
	{regexp.MustCompile(`(à l’instant|il y a \d+ \w+)`), "AGO"},
}

func TestGoldenPages(t *testing.T) {
	h := servertest.New(t, "sqlite")
	for name, body := range mainPages(t, h) {
		t.Run(name, func(t *testing.T) {
			for _, u := range unstable {
				body = u.re.ReplaceAllString(body, u.with)
			}
			golden := filepath.Join("testdata", name+".golden.html")
			if *update {
				os.MkdirAll("testdata", 0o755)
				if err := os.WriteFile(golden, []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./core/portal -run TestGoldenPages -update)", err)
			}
			if string(want) != body {
				t.Errorf("%s differs from %s; if the change is intended, run with -update and review the diff", name, golden)
			}
		})
	}
}
