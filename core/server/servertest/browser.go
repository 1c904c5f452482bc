package servertest

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Chromium is where Debian's chromium package puts the browser.
const Chromium = "/usr/bin/chromium"

// Browser starts a headless Chromium for tb and returns a context for
// chromedp.Run that ends after timeout. Without Chromium the test is skipped,
// except with CI=true, where that is a failure. The browser's profile lives
// in a folder of its own, removed after the browser has exited: Chromium's
// helper processes may still write there for a moment, which would make
// t.TempDir's strict cleanup fail a test that passed.
func Browser(tb testing.TB, timeout time.Duration, lang string) context.Context {
	tb.Helper()
	if _, err := os.Stat(Chromium); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("%s is missing; CI must install chromium (apt-get install chromium)", Chromium)
		}
		tb.Skipf("%s is missing: install Debian's chromium to run browser tests", Chromium)
	}
	if testing.Short() {
		tb.Skip("browser test skipped in -short mode")
	}
	profile, err := os.MkdirTemp("", "guichet-chromium-*")
	if err != nil {
		tb.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(Chromium), chromedp.Flag("headless", true),
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.NoFirstRun, chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile), chromedp.Flag("lang", lang), chromedp.WindowSize(1280, 900))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(bctx, timeout)
	tb.Cleanup(func() {
		cancelTimeout()
		cancelBrowser()
		cancelAlloc() // waits for the browser process to exit
		for range 20 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		tb.Logf("could not remove the browser profile %s", profile)
	})
	return ctx
}

// ScreenshotDir is where browser tests keep screenshots: the folder named by
// GUICHET_SCREENSHOTS (`make screenshots` sets docs/screenshots), otherwise a
// temporary one, so ordinary runs still take them but leave the tree alone.
func ScreenshotDir(tb testing.TB) string {
	if dir := os.Getenv("GUICHET_SCREENSHOTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			tb.Fatal(err)
		}
		return dir
	}
	return tb.TempDir()
}
