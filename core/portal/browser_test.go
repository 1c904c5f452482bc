package portal_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/guichet/guichet/core/server/servertest"
	"github.com/guichet/guichet/core/ticket"
)

// TestBrowserFlow drives Debian's Chromium through the whole customer flow
// and takes screenshots of the main pages at 375 and 1280 px. They are kept
// only when GUICHET_SCREENSHOTS names a folder (`make screenshots` writes
// docs/screenshots), so an ordinary test run leaves the tree unchanged.
func TestBrowserFlow(t *testing.T) {
	bctx := servertest.Browser(t, 90*time.Second, "fr-FR")
	h := servertest.New(t, "sqlite")
	jobCtx, stopJobs := context.WithCancel(context.Background())
	defer stopJobs()
	go h.App.Jobs.Run(jobCtx, 50*time.Millisecond)
	shots := servertest.ScreenshotDir(t)
	shoot := func(name string) chromedp.Action[chromedp.Void] {
		return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			var none chromedp.Void
			for _, w := range []int64{375, 1280} {
				if _, err := chromedp.EmulateViewport(w, 800)(ctx, tg); err != nil {
					return none, err
				}
				if _, err := chromedp.Sleep(100*time.Millisecond)(ctx, tg); err != nil {
					return none, err
				}
				png, err := chromedp.FullScreenshot(100)(ctx, tg)
				if err != nil {
					return none, err
				}
				if err := os.WriteFile(filepath.Join(shots, "portal-"+name+"-"+itoa(w)+".png"), png, 0o644); err != nil {
					return none, err
				}
			}
			return chromedp.EmulateViewport(1280, 800)(ctx, tg)
		}
	}
	base := h.Server.URL
	img := filepath.Join(t.TempDir(), "photo.png")
	os.WriteFile(img, pngBytes(), 0o644)
	run := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	read := func(step string, a chromedp.Action[string]) string {
		t.Helper()
		v, err := chromedp.Run(bctx, a)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		return v
	}
	run("sign-in page", chromedp.Navigate(base+"/signin?lang=fr"), chromedp.WaitVisible("#email"), shoot("signin"),
		chromedp.SendKeys("#email", "ana@example.com"), chromedp.Click("form button"), chromedp.WaitVisible("#code"), shoot("code"))
	code := waitCode(t, h, "ana@example.com")
	run("code", chromedp.SendKeys("#code", code), chromedp.Click("form.card button"), chromedp.WaitVisible(`header a[href$="/tickets/new"]`))
	run("new ticket", chromedp.Navigate(base+"/tickets/new"), chromedp.WaitVisible("#subject"),
		chromedp.SendKeys("#subject", "Imprimante en panne"), chromedp.SendKeys("#body", "Elle affiche E42.\nVoir https://example.com/aide"),
		chromedp.SetUploadFiles("#file", []string{img}), shoot("new"), chromedp.Click("form.card button"), chromedp.WaitVisible(".thread"))
	url := read("ticket address", chromedp.Location())
	run("list", chromedp.Navigate(base+"/tickets"), chromedp.WaitVisible(".tickets"))
	list := read("list text", chromedp.Text(".tickets"))
	if !strings.Contains(list, "Imprimante en panne") {
		t.Fatalf("the new ticket is not in the list: %q", list)
	}
	agentReply(t, h, url[strings.LastIndex(url, "/")+1:], ticket.Public, "Bonjour, pouvez-vous la redémarrer ?")
	run("list shot", chromedp.Reload(), chromedp.WaitVisible(".tickets"), shoot("tickets"))
	run("reply", chromedp.Navigate(url), chromedp.WaitVisible("#body"), chromedp.SendKeys("#body", "C’est reparti, merci."),
		chromedp.Click(`form[action$="/reply"] button`),
		chromedp.WaitVisible(`//li[contains(@class, "mine")][contains(., "reparti")]`), shoot("ticket"))
	thread := read("thread", chromedp.Text(".thread"))
	if !strings.Contains(thread, "C’est reparti, merci.") || !strings.Contains(thread, "photo.png") || !strings.Contains(thread, "Zoé Martin") {
		t.Fatalf("reply or attachment missing: %q", thread)
	}
	run("close", chromedp.Click(`form[action$="/close"] button`), chromedp.WaitVisible(`form[action$="/reopen"]`), shoot("closed"))
	run("reopen", chromedp.Click(`form[action$="/reopen"] button`), chromedp.WaitVisible(`form[action$="/close"]`))
	run("sign out", chromedp.Click(`form[action$="/signout"] button`), chromedp.WaitVisible("#email"))
	run("signed out", chromedp.Navigate(base+"/tickets"), chromedp.WaitVisible("#email"))
	loc := read("location after sign out", chromedp.Location())
	if !strings.Contains(loc, "/signin") {
		t.Errorf("after sign out, /tickets went to %s", loc)
	}
}

func waitCode(t *testing.T, h *servertest.Harness, email string) string {
	t.Helper()
	for range 100 {
		msgs, _ := h.App.MailSink.List(ctx, email, 1)
		if len(msgs) > 0 {
			return sixDigits.FindString(msgs[0].Subject)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("no code mail arrived")
	return ""
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
