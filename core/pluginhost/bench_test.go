package pluginhost

import (
	"context"
	"os"
	"sort"
	"strconv"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/guichet/guichet/core/dbtest"
	"github.com/guichet/guichet/sdk"
	pluginv1 "github.com/guichet/guichet/sdk/proto/guichet/plugin/v1"
)

// localDirectory does in-process what the rogue plugin does for an
// ordinary email: the baseline of a call through the host.
type localDirectory struct{}

func (localDirectory) LookupCustomer(_ context.Context, q *pluginv1.LookupCustomerRequest) (*pluginv1.LookupCustomerResponse, error) {
	return &pluginv1.LookupCustomerResponse{
		Organization: &pluginv1.Organization{Name: "Rogue Org", Alias: "hello", ExternalId: strconv.Itoa(os.Getpid())},
		Source:       "rogue", FetchedAt: timestamppb.Now(),
	}, nil
}

func lookup(ctx context.Context, svc any) (*pluginv1.LookupCustomerResponse, error) {
	r, err := svc.(sdk.CustomerDirectory).LookupCustomer(ctx, &pluginv1.LookupCustomerRequest{Email: "a@example.com"})
	if err != nil {
		return nil, err
	}
	return r, checkReply(r, lookupLimits)
}

// BenchmarkCallThroughHost times one customer lookup through the host
// (deadline, circuit breaker, gRPC over AutoMTLS to the real plugin
// process, reply checks) and the same function called in-process, and
// reports p50, p99 and their ratio.
func BenchmarkCallThroughHost(b *testing.B) {
	dir := b.TempDir()
	install(b, dir, "rogue", "rogue")
	h := started(b, dbtest.Open(b, "sqlite"), dir, Options{}, "rogue")
	i := h.lookupInstance("rogue")
	ctx := context.Background()
	remote := make([]time.Duration, 0, b.N)
	local := make([]time.Duration, 0, b.N)
	var in sdk.CustomerDirectory = localDirectory{}
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		if _, err := call(ctx, i, sdk.CapCustomerDirectory, lookup); err != nil {
			b.Fatal(err)
		}
		remote = append(remote, time.Since(start))
		start = time.Now()
		if _, err := lookup(ctx, in); err != nil {
			b.Fatal(err)
		}
		local = append(local, time.Since(start))
	}
	b.StopTimer()
	rp50, rp99 := percentiles(remote)
	lp50, lp99 := percentiles(local)
	b.ReportMetric(float64(rp50.Microseconds()), "host-p50-µs")
	b.ReportMetric(float64(rp99.Microseconds()), "host-p99-µs")
	b.ReportMetric(float64(lp50.Nanoseconds()), "inproc-p50-ns")
	b.ReportMetric(float64(lp99.Nanoseconds()), "inproc-p99-ns")
	b.ReportMetric(float64(rp50)/float64(max(lp50, 1)), "p50-ratio")
	b.ReportMetric(float64(rp99)/float64(max(lp99, 1)), "p99-ratio")
}

// BenchmarkCrashToServing measures, with the default backoff, the time
// from a plugin crash (observed by the caller as a failed call) to the
// first call that succeeds again.
func BenchmarkCrashToServing(b *testing.B) {
	dir := b.TempDir()
	install(b, dir, "rogue", "rogue")
	opt := Options{QuarantineAfter: 1 << 30}
	h := started(b, dbtest.Open(b, "sqlite"), dir, opt, "rogue")
	i := h.lookupInstance("rogue")
	ctx := context.Background()
	crash := func(ctx context.Context, svc any) (*pluginv1.LookupCustomerResponse, error) {
		return svc.(sdk.CustomerDirectory).LookupCustomer(ctx, &pluginv1.LookupCustomerRequest{Email: "crash@example.com"})
	}
	var samples []time.Duration
	b.ResetTimer()
	for range b.N {
		if _, err := call(ctx, i, sdk.CapCustomerDirectory, crash); err == nil {
			b.Fatal("crash call succeeded")
		}
		start := time.Now()
		for {
			if _, err := call(ctx, i, sdk.CapCustomerDirectory, lookup); err == nil {
				break
			}
			if time.Since(start) > 30*time.Second {
				b.Fatal("the plugin did not come back within 30 s")
			}
			time.Sleep(time.Millisecond)
		}
		samples = append(samples, time.Since(start))
		i.mu.Lock()
		i.crashes = nil // keep the backoff at its minimum: each sample is a first crash
		i.mu.Unlock()
	}
	b.StopTimer()
	p50, p99 := percentiles(samples)
	b.ReportMetric(float64(p50.Milliseconds()), "crash-to-serving-p50-ms")
	b.ReportMetric(float64(p99.Milliseconds()), "crash-to-serving-p99-ms")
}

func percentiles(d []time.Duration) (p50, p99 time.Duration) {
	if len(d) == 0 {
		return 0, 0
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2], s[min(len(s)-1, len(s)*99/100)]
}
