package console_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/guichet/guichet/core/server/servertest"
)

// TestBrowserWorksATicketEndToEnd: setup → a queue and an agent → as that
// agent, find a ticket opened through the API, take it, reply, add a note,
// resolve it. Screenshots of the list and the ticket view at phone and
// desktop widths go to docs/screenshots/.
func TestBrowserWorksATicketEndToEnd(t *testing.T) {
	ctx := servertest.Browser(t, 90*time.Second, "fr-FR")
	h := servertest.New(t, "sqlite")
	token, err := h.App.Agents.IssueSetupToken(context.Background())
	if err != nil || token == "" {
		t.Fatalf("setup token: %v", err)
	}
	base := h.Server.URL + "/console"
	run := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	textOf := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return s
	}
	run("first admin from the setup link",
		chromedp.Navigate(base+"/setup/"+token),
		chromedp.SendKeys(chromedp.CSS(`input[name=name]`), "Alice Admin"),
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), "alice@example.com"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), "correct horse battery"),
		chromedp.SetValue(chromedp.CSS(`select[name=language]`), "fr"),
		chromedp.Click(chromedp.CSS(`form button`)),
		chromedp.WaitVisible(chromedp.CSS(`#g-new`)),
	)
	run("create a queue",
		chromedp.Navigate(base+"/queues"),
		chromedp.SendKeys(chromedp.CSS(`input[name=name]`), "Atelier"),
		chromedp.SendKeys(chromedp.CSS(`textarea[name=description]`), "Imprimantes et écrans"),
		chromedp.Click(chromedp.CSS(`form.stack button`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href$="/queues/2"]`)),
	)
	if text := textOf(`table.plain`); !strings.Contains(text, "Atelier") {
		t.Fatalf("the queue list lacks the new queue: %q", text)
	}
	run("create an agent and give them the queue",
		chromedp.Navigate(base+"/agents"),
		chromedp.SendKeys(chromedp.CSS(`form.stack input[name=name]`), "Bruno Agent"),
		chromedp.SendKeys(chromedp.CSS(`form.stack input[name=email]`), "bruno@example.com"),
		chromedp.SendKeys(chromedp.CSS(`form.stack input[name=password]`), "another good password"),
		chromedp.SetValue(chromedp.CSS(`form.stack select[name=language]`), "fr"),
		chromedp.Click(chromedp.CSS(`form.stack button`)),
	)
	run("the new agent's page", chromedp.WaitVisible(chromedp.CSS(`select[name=access_2]`)))
	run("choose write access", chromedp.SetValue(chromedp.CSS(`select[name=access_2]`), "write"))
	run("save access",
		chromedp.Click(chromedp.CSS(`form[action$="/queues"] button`)),
		// Each wait names something only the next page has, so no step
		// runs against a page that is going away.
		chromedp.WaitVisible(chromedp.Search(`//p[contains(@class, "flash")][contains(., "Enregistré")]`)),
		chromedp.Click(chromedp.CSS(`form[action$="/signout"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name=password]`)),
	)
	number := openThroughAPI(t, h)
	run("sign in as the agent and find the ticket in the list",
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), "bruno@example.com"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), "another good password"),
		chromedp.Click(chromedp.CSS(`form button`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href$="/tickets/`+number+`"]`)),
	)
	shots(t, ctx, "list")
	run("open it and take it",
		chromedp.Click(chromedp.CSS(`td.subj a[href$="/tickets/`+number+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/lock"] button`)),
		chromedp.Click(chromedp.CSS(`form[action$="/lock"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/unlock"]`)),
	)
	run("reply to the customer",
		chromedp.Click(chromedp.CSS(`input[name=kind][value=public]`)),
		chromedp.SendKeys(chromedp.CSS(`#body`), "Bonjour, pouvez-vous redémarrer l’imprimante ?"),
		chromedp.Click(chromedp.CSS(`#reply button`)),
		chromedp.WaitVisible(chromedp.CSS(`article.msg.public.by-agent`)),
	)
	run("add an internal note",
		chromedp.Click(chromedp.CSS(`input[name=kind][value=internal]`)),
		chromedp.SendKeys(chromedp.CSS(`#body`), "Modèle HP 4250, voir le contrat."),
		chromedp.Click(chromedp.CSS(`#reply button`)),
		chromedp.WaitVisible(chromedp.CSS(`article.msg.internal`)),
	)
	shots(t, ctx, "ticket")
	run("resolve it",
		chromedp.SetValue(chromedp.CSS(`select[name=state]`), "resolved"),
		chromedp.Click(chromedp.CSS(`.side form button`)),
		chromedp.WaitVisible(chromedp.CSS(`.meta .s-resolved`)),
	)
	if text := textOf(`.meta .state`); strings.TrimSpace(text) != "Résolu" {
		t.Errorf("state after resolving: %q", text)
	}
	tk, err := h.App.Tickets.Get(context.Background(), allQueues, number)
	if err != nil || tk.State != "resolved" || tk.FirstResponseAt == nil {
		t.Errorf("ticket in the database: %+v %v", tk, err)
	}
}

func openThroughAPI(t *testing.T, h *servertest.Harness) string {
	t.Helper()
	r := h.Do(servertest.Request{Method: http.MethodPost, Path: "/api/v1/tickets", Key: h.APIKey(),
		Body: `{"subject":"L’imprimante du 2e étage bourre","body":"Depuis ce matin, chaque impression bourre.","customer_email":"ana@example.com","customer_name":"Ana Martin","queue":"Atelier"}`})
	if r.Status != http.StatusCreated && r.Status != http.StatusOK {
		t.Fatalf("open through the API: %d %s", r.Status, r.Body)
	}
	var out struct {
		Number string `json:"number"`
	}
	if err := json.Unmarshal([]byte(r.Body), &out); err != nil || out.Number == "" {
		t.Fatalf("API answer: %s", r.Body)
	}
	return out.Number
}

// shots takes full-page screenshots at phone and desktop widths. They are
// kept only when GUICHET_SCREENSHOTS names a folder (`make screenshots`
// writes docs/screenshots), so a plain test run leaves the tree alone.
func shots(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("GUICHET_SCREENSHOTS")
	for _, width := range []int64{375, 1280} {
		err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 800), chromedp.Sleep(200*time.Millisecond))
		var png []byte
		if err == nil {
			png, err = chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100 gives a PNG; less, a JPEG
		}
		if err != nil {
			t.Fatalf("screenshot %s at %d px: %v", name, width, err)
		}
		if len(png) < 1000 {
			t.Errorf("screenshot %s at %d px is empty", name, width)
		}
		if dir == "" {
			continue
		}
		path := filepath.Join(dir, "console-"+name+"-"+itoa(width)+".png")
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900))
}
