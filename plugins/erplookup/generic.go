package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/guichet/guichet/sdk"
	pluginv1 "github.com/guichet/guichet/sdk/proto/guichet/plugin/v1"
)

// generic reads any JSON API answering one document per email, through a
// field mapping written by the admin, one "target = path" per line:
//
//	organization.name = company.name
//	contacts = company.people          (an array)
//	contact.email = mail               (relative to one array item)
//	products = assets
//	product.warranty_ends_at = warranty.end   (RFC 3339, YYYY-MM-DD or Unix)
type generic struct {
	http           *httpJSON
	urlTemplate    string
	mapping        map[string]string
	warrantyMonths int
}

var mappingTargets = map[string]bool{
	"organization.external_id": true, "organization.name": true, "organization.alias": true,
	"organization.customer_code": true, "organization.vat_number": true, "organization.email": true,
	"organization.phone": true, "organization.address": true, "organization.zip": true,
	"organization.town": true, "organization.country_code": true, "organization.url": true,
	"contacts": true, "contact.external_id": true, "contact.first_name": true, "contact.last_name": true,
	"contact.email": true, "contact.phone": true, "contact.mobile": true, "contact.job_title": true,
	"products": true, "product.external_id": true, "product.reference": true, "product.label": true,
	"product.serial_number": true, "product.purchased_at": true, "product.warranty_ends_at": true,
}

// parseMapping reads the mapping setting; errors name the line.
func parseMapping(s string) (map[string]string, error) {
	m := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(s))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		target, path, ok := strings.Cut(line, "=")
		target, path = strings.TrimSpace(target), strings.TrimSpace(path)
		if !ok || path == "" {
			return nil, fmt.Errorf("line %d: expected \"target = path\"", n)
		}
		if !mappingTargets[target] {
			return nil, fmt.Errorf("line %d: unknown target %q", n, target)
		}
		m[target] = path
	}
	return m, nil
}

func (g *generic) lookup(ctx context.Context, email string) (*pluginv1.LookupCustomerResponse, error) {
	u := strings.ReplaceAll(g.urlTemplate, "{email}", url.QueryEscape(email))
	var doc any
	if err := g.http.get(ctx, u, &doc); err != nil {
		if errors.Is(err, errNotFound) {
			return nil, sdk.NotFound("no customer with this email in the ERP")
		}
		return nil, err
	}
	resp := &pluginv1.LookupCustomerResponse{Source: "generic-json"}
	if name := g.str(doc, "organization.name"); name != "" {
		resp.Organization = &pluginv1.Organization{
			ExternalId: g.str(doc, "organization.external_id"), Name: name, Alias: g.str(doc, "organization.alias"),
			CustomerCode: g.str(doc, "organization.customer_code"), VatNumber: g.str(doc, "organization.vat_number"),
			Email: g.str(doc, "organization.email"), Phone: g.str(doc, "organization.phone"),
			Address: g.str(doc, "organization.address"), Zip: g.str(doc, "organization.zip"),
			Town: g.str(doc, "organization.town"), CountryCode: g.str(doc, "organization.country_code"),
			Url: g.str(doc, "organization.url"),
		}
	}
	for _, item := range g.items(doc, "contacts") {
		resp.Contacts = append(resp.Contacts, &pluginv1.Contact{
			ExternalId: g.str(item, "contact.external_id"), FirstName: g.str(item, "contact.first_name"),
			LastName: g.str(item, "contact.last_name"), Email: g.str(item, "contact.email"),
			Phone: g.str(item, "contact.phone"), Mobile: g.str(item, "contact.mobile"), JobTitle: g.str(item, "contact.job_title"),
		})
	}
	for _, item := range g.items(doc, "products") {
		p := &pluginv1.Product{
			ExternalId: g.str(item, "product.external_id"), Reference: g.str(item, "product.reference"),
			Label: g.str(item, "product.label"), SerialNumber: g.str(item, "product.serial_number"),
			PurchasedAt: parseTime(g.str(item, "product.purchased_at")), WarrantyEndsAt: parseTime(g.str(item, "product.warranty_ends_at")),
		}
		if p.WarrantyEndsAt == nil && p.PurchasedAt != nil && g.warrantyMonths > 0 {
			p.WarrantyEndsAt = timestamppb.New(addMonths(p.PurchasedAt.AsTime(), g.warrantyMonths))
		}
		resp.Products = append(resp.Products, p)
	}
	if resp.Organization == nil && len(resp.Contacts) == 0 {
		return nil, sdk.NotFound("the ERP answered without organization or contact")
	}
	return resp, nil
}

// str reads the mapped path of target in doc as text.
func (g *generic) str(doc any, target string) string {
	path, ok := g.mapping[target]
	if !ok {
		return ""
	}
	switch v := walk(doc, path).(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}

func (g *generic) items(doc any, target string) []any {
	path, ok := g.mapping[target]
	if !ok {
		return nil
	}
	items, _ := walk(doc, path).([]any)
	return items
}

// walk follows a dot path through decoded JSON; numeric segments index
// arrays. A missing step yields nil.
func walk(doc any, path string) any {
	cur := doc
	for _, seg := range strings.Split(path, ".") {
		switch v := cur.(type) {
		case map[string]any:
			cur = v[seg]
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(v) {
				return nil
			}
			cur = v[i]
		default:
			return nil
		}
	}
	return cur
}

func parseTime(s string) *timestamppb.Timestamp {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return timestamppb.New(t)
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
		return timestamppb.New(time.Unix(n, 0).UTC())
	}
	return nil
}

func (g *generic) ping(ctx context.Context) error {
	_, err := g.lookup(ctx, "healthcheck@guichet.invalid")
	if status.Code(err) == codes.NotFound {
		return nil // the API answers and accepts the key
	}
	return err
}
