package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/guichet/guichet/sdk"
	"github.com/guichet/guichet/sdk/plugintest"
	pluginv1 "github.com/guichet/guichet/sdk/proto/guichet/plugin/v1"
)

func TestDolibarrConformance(t *testing.T) {
	erp := newFakeDolibarr(t)
	plugintest.CustomerDirectoryConformance(t, sdk.Plugin{Manifest: manifest, Impl: &erpLookup{}},
		erp.settings(), "marie.leroy@client-exemple.fr", "nobody@client-exemple.fr")
}

func startDolibarr(t *testing.T, settings map[string]string) (sdk.CustomerDirectory, *plugintest.Conn) {
	t.Helper()
	c := plugintest.Start(t, sdk.Plugin{Manifest: manifest, Impl: &erpLookup{}})
	c.MustConfigure(t, settings)
	return c.CustomerDirectory(t), c
}

func TestDolibarrLookup(t *testing.T) {
	erp := newFakeDolibarr(t)
	dir, _ := startDolibarr(t, erp.settings())
	ctx := context.Background()

	t.Run("contact of a third party", func(t *testing.T) {
		r, err := dir.LookupCustomer(ctx, &pluginv1.LookupCustomerRequest{Email: "Marie.Leroy@client-exemple.fr"})
		if err != nil {
			t.Fatal(err)
		}
		org := r.GetOrganization()
		if org.GetName() != "Imprimerie Leroy & Fils" || org.GetVatNumber() != "FR44732829320" || org.GetExternalId() != "7" || org.GetCustomerCode() != "CU2311-00007" {
			t.Errorf("organization = %v", org)
		}
		if len(r.GetContacts()) != 2 || r.GetContacts()[0].GetLastName() != "Leroy" || r.GetContacts()[0].GetMobile() != "06 12 34 56 78" {
			t.Errorf("contacts = %v (want 2, Leroy first)", r.GetContacts())
		}
		if len(r.GetProducts()) != 2 {
			t.Fatalf("products = %v", r.GetProducts())
		}
		press, cutter := r.GetProducts()[0], r.GetProducts()[1]
		if press.GetLabel() != "Presse numérique X500" || press.GetSerialNumber() != "X500-2311-0042" || press.GetWarrantyEndsAt().AsTime().Unix() != 1762081200 {
			t.Errorf("press = %v", press)
		}
		// No end date in Dolibarr: start (2024-01-01) + default 24 months.
		if got := cutter.GetWarrantyEndsAt().AsTime().Format("2006-01-02"); got != "2026-01-01" {
			t.Errorf("cutter warranty ends %s, want 2026-01-01", got)
		}
		if r.GetSource() != "dolibarr" || r.GetFetchedAt() == nil {
			t.Errorf("source/fetched_at = %q %v", r.GetSource(), r.GetFetchedAt())
		}
	})
	t.Run("third party without contact", func(t *testing.T) {
		r, err := dir.LookupCustomer(ctx, &pluginv1.LookupCustomerRequest{Email: "compta@atelier-exemple.fr"})
		if err != nil {
			t.Fatal(err)
		}
		if r.GetOrganization().GetName() != "Atelier Bois Vert" || len(r.GetContacts()) != 0 || len(r.GetProducts()) != 0 {
			t.Errorf("lookup = %v", r)
		}
	})
	cases := []struct {
		name  string
		email string
		want  codes.Code
	}{
		{"unknown address is NOT_FOUND", "nobody@client-exemple.fr", codes.NotFound},
		{"filter injection is refused before any request", "x')or(t.rowid:>:0@example.fr", codes.InvalidArgument},
		{"quote in address is refused", "o'brien@example.fr", codes.InvalidArgument},
		{"not an address", "marie.leroy", codes.InvalidArgument},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := dir.LookupCustomer(ctx, &pluginv1.LookupCustomerRequest{Email: tc.email})
			if status.Code(err) != tc.want {
				t.Fatalf("LookupCustomer(%q) = %v, want %s", tc.email, err, tc.want)
			}
		})
	}
	for _, req := range erp.requests {
		if strings.Contains(req, "rowid") || strings.Contains(req, "brien") {
			t.Errorf("a refused address reached the ERP: %s", req)
		}
	}
}

func TestDolibarrFailures(t *testing.T) {
	erp := newFakeDolibarr(t)
	ctx := context.Background()
	cases := []struct {
		name     string
		settings func(map[string]string)
		down     bool
		wantCode codes.Code
		wantText string
	}{
		{"wrong API key", func(s map[string]string) { s["api_key"] = "wrong-key" }, false, codes.Unavailable, "refused the API key"},
		{"ERP down", nil, true, codes.Unavailable, "HTTP 503"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := erp.settings()
			if tc.settings != nil {
				tc.settings(s)
			}
			erp.setDown(tc.down)
			defer erp.setDown(false)
			dir, c := startDolibarr(t, s)
			_, err := dir.LookupCustomer(ctx, &pluginv1.LookupCustomerRequest{Email: "marie.leroy@client-exemple.fr"})
			if status.Code(err) != tc.wantCode || !strings.Contains(err.Error(), tc.wantText) || strings.Contains(err.Error(), "maintenance") {
				t.Fatalf("LookupCustomer = %v, want %s containing %q (and never the ERP's body)", err, tc.wantCode, tc.wantText)
			}
			h, err := c.Lifecycle.CheckHealth(ctx, &pluginv1.CheckHealthRequest{})
			if err != nil || h.GetStatus() != pluginv1.CheckHealthResponse_STATUS_ERROR {
				t.Fatalf("health = %v, %v; want ERROR", h, err)
			}
		})
	}
}

func TestSSRFGuard(t *testing.T) {
	erp := newFakeDolibarr(t)
	c := plugintest.Start(t, sdk.Plugin{Manifest: manifest, Impl: &erpLookup{}})
	ctx := context.Background()
	cases := []struct {
		name      string
		edit      func(map[string]string)
		wantField string
	}{
		{"loopback ERP without allowlist", func(s map[string]string) { delete(s, "allow_cidrs") }, "base_url"},
		{"metadata address", func(s map[string]string) { s["base_url"] = "http://169.254.169.254/latest" }, "base_url"},
		{"decimal loopback", func(s map[string]string) {
			delete(s, "allow_cidrs")
			s["base_url"] = "http://2130706433/api/index.php"
		}, "base_url"},
		{"allowlist too wide", func(s map[string]string) { s["allow_cidrs"] = "0.0.0.0/0" }, "allow_cidrs"},
		{"allowlist garbage", func(s map[string]string) { s["allow_cidrs"] = "erp.lan" }, "allow_cidrs"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := erp.settings()
			tc.edit(s)
			r, err := c.Lifecycle.ValidateSettings(ctx, &pluginv1.ValidateSettingsRequest{Settings: s})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, e := range r.GetErrors() {
				found = found || e.GetField() == tc.wantField
			}
			if !found {
				t.Fatalf("errors = %v, want one on %s", r.GetErrors(), tc.wantField)
			}
		})
	}
}

func TestGenericJSON(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Api-Key") != "k-123" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if r.URL.Query().Get("email") != "ana@shop.example" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{
			"company": map[string]any{"id": 42, "legal_name": "Shop SARL", "vat": "FR96552100554"},
			"people":  []any{map[string]any{"mail": "ana@shop.example", "first": "Ana", "last": "Silva"}},
			"assets": []any{
				map[string]any{"sku": "RT-9", "name": "Routeur RT-9", "bought": "2024-06-01", "warranty": map[string]any{"end": "2027-06-01T00:00:00Z"}},
				map[string]any{"sku": "SW-2", "name": "Switch SW-2", "bought": "2024-02-15"},
			},
		})
	}))
	defer srv.Close()
	settings := map[string]string{
		"connector":   "generic_json",
		"base_url":    srv.URL + "/customers?email={email}",
		"api_key":     "k-123",
		"auth_header": "X-Api-Key",
		"allow_cidrs": "127.0.0.1",
		"field_mapping": `organization.external_id = company.id
organization.name = company.legal_name
organization.vat_number = company.vat
contacts = people
contact.email = mail
contact.first_name = first
contact.last_name = last
products = assets
product.reference = sku
product.label = name
product.purchased_at = bought
product.warranty_ends_at = warranty.end`,
		"warranty_months": "12",
	}
	t.Run("conformance", func(t *testing.T) {
		plugintest.CustomerDirectoryConformance(t, sdk.Plugin{Manifest: manifest, Impl: &erpLookup{}}, settings, "ana@shop.example", "bob@shop.example")
	})
	t.Run("mapping", func(t *testing.T) {
		dir, _ := startDolibarr(t, settings)
		r, err := dir.LookupCustomer(context.Background(), &pluginv1.LookupCustomerRequest{Email: "ana@shop.example"})
		if err != nil {
			t.Fatal(err)
		}
		if r.GetOrganization().GetName() != "Shop SARL" || r.GetOrganization().GetExternalId() != "42" || r.GetContacts()[0].GetLastName() != "Silva" {
			t.Errorf("lookup = %v", r)
		}
		ends := []string{r.GetProducts()[0].GetWarrantyEndsAt().AsTime().Format("2006-01-02"), r.GetProducts()[1].GetWarrantyEndsAt().AsTime().Format("2006-01-02")}
		if ends[0] != "2027-06-01" || ends[1] != "2025-02-15" {
			t.Errorf("warranty ends = %v, want [2027-06-01 2025-02-15]", ends)
		}
	})
	t.Run("bad mapping rejected", func(t *testing.T) {
		c := plugintest.Start(t, sdk.Plugin{Manifest: manifest, Impl: &erpLookup{}})
		bad := map[string]string{}
		for k, v := range settings {
			bad[k] = v
		}
		bad["field_mapping"] = "organisation.nom = x"
		resp := c.Configure(t, bad)
		if resp.GetAccepted() || len(resp.GetErrors()) == 0 || resp.GetErrors()[0].GetField() != "field_mapping" {
			t.Fatalf("Configure = %v", resp)
		}
	})
}
