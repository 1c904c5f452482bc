package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/guichet/guichet/sdk"
	pluginv1 "github.com/guichet/guichet/sdk/proto/guichet/plugin/v1"
)

// dolibarr reads Dolibarr's REST API (htdocs/api, served under
// /api/index.php): contacts and third parties by email, the third party's
// contacts, and its contracts' lines as products with warranty.
//
// Facts relied on, from Dolibarr's API classes: authentication by the
// DOLAPIKEY header; list endpoints accept sqlfilters such as
// (t.email:=:'a@b.c') and thirdparty_ids; a list with no match answers 404
// with {"error":{"code":404,"message":"Not Found: ..."}} (recent versions may
// answer []); ids and many numbers come as JSON strings; dates as Unix
// timestamps, sometimes as strings, sometimes "".
type dolibarr struct {
	http           *httpJSON
	base           string
	warrantyMonths int
}

// flex reads a JSON string, number, bool or null as text.
type flex string

func (f *flex) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = flex(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err == nil {
		*f = flex(n.String())
		return nil
	}
	*f = "" // null, bool, object: treated as absent
	return nil
}

// unix reads a flex holding a Unix timestamp; zero when absent.
func (f flex) unix() *timestamppb.Timestamp {
	n, err := strconv.ParseInt(strings.TrimSpace(string(f)), 10, 64)
	if err != nil || n <= 0 {
		return nil
	}
	return timestamppb.New(time.Unix(n, 0).UTC())
}

type doliContact struct {
	ID          flex `json:"id"`
	SocID       flex `json:"socid"`
	FirstName   flex `json:"firstname"`
	LastName    flex `json:"lastname"`
	Email       flex `json:"email"`
	PhonePro    flex `json:"phone_pro"`
	PhoneMobile flex `json:"phone_mobile"`
	Poste       flex `json:"poste"`
}

type doliThirdParty struct {
	ID          flex `json:"id"`
	Name        flex `json:"name"`
	NameAlias   flex `json:"name_alias"`
	CodeClient  flex `json:"code_client"`
	TVAIntra    flex `json:"tva_intra"`
	Email       flex `json:"email"`
	Phone       flex `json:"phone"`
	Address     flex `json:"address"`
	Zip         flex `json:"zip"`
	Town        flex `json:"town"`
	CountryCode flex `json:"country_code"`
	URL         flex `json:"url"`
}

type doliContract struct {
	ID    flex `json:"id"`
	Ref   flex `json:"ref"`
	Lines []struct {
		ID                  flex            `json:"id"`
		ProductRef          flex            `json:"product_ref"`
		ProductLabel        flex            `json:"product_label"`
		Label               flex            `json:"label"`
		Description         flex            `json:"description"`
		DateStart           flex            `json:"date_start"`
		DateEnd             flex            `json:"date_end"`
		DateOuverturePrevue flex            `json:"date_ouverture_prevue"`
		DateFinValidite     flex            `json:"date_fin_validite"`
		ArrayOptions        json.RawMessage `json:"array_options"`
	} `json:"lines"`
}

func (d *dolibarr) url(path string, q url.Values) string {
	if len(q) == 0 {
		return d.base + path
	}
	return d.base + path + "?" + q.Encode()
}

// list fetches a list endpoint; no match (404 or []) is an empty list.
func (d *dolibarr) list(ctx context.Context, path string, q url.Values, v any) error {
	err := d.http.get(ctx, d.url(path, q), v)
	if errors.Is(err, errNotFound) {
		return nil
	}
	return err
}

func (d *dolibarr) lookup(ctx context.Context, email string) (*pluginv1.LookupCustomerResponse, error) {
	// email passed emailRe: no quote or parenthesis can reach sqlfilters.
	filter := "(t.email:=:'" + email + "')"
	var contacts []doliContact
	if err := d.list(ctx, "/contacts", url.Values{"sqlfilters": {filter}, "limit": {"10"}}, &contacts); err != nil {
		return nil, err
	}
	var tp doliThirdParty
	socID := ""
	for _, c := range contacts {
		if c.SocID != "" && c.SocID != "0" {
			socID = string(c.SocID)
			break
		}
	}
	if socID != "" {
		if err := d.http.get(ctx, d.url("/thirdparties/"+url.PathEscape(socID), nil), &tp); err != nil && !errors.Is(err, errNotFound) {
			return nil, err
		}
	} else {
		var tps []doliThirdParty
		if err := d.list(ctx, "/thirdparties", url.Values{"sqlfilters": {filter}, "limit": {"1"}}, &tps); err != nil {
			return nil, err
		}
		if len(tps) > 0 {
			tp = tps[0]
		}
	}
	if tp.ID == "" && len(contacts) == 0 {
		return nil, sdk.NotFound("no contact or third party with this email in Dolibarr")
	}
	resp := &pluginv1.LookupCustomerResponse{Source: "dolibarr"}
	if tp.ID != "" {
		resp.Organization = tp.proto()
		if err := d.list(ctx, "/contacts", url.Values{"thirdparty_ids": {string(tp.ID)}, "limit": {"50"}}, &contacts); err != nil {
			return nil, err
		}
		products, err := d.products(ctx, string(tp.ID))
		if err != nil {
			return nil, err
		}
		resp.Products = products
	}
	resp.Contacts = orderContacts(contacts, email)
	return resp, nil
}

func (tp doliThirdParty) proto() *pluginv1.Organization {
	return &pluginv1.Organization{
		ExternalId: string(tp.ID), Name: string(tp.Name), Alias: string(tp.NameAlias),
		CustomerCode: string(tp.CodeClient), VatNumber: string(tp.TVAIntra), Email: string(tp.Email),
		Phone: string(tp.Phone), Address: string(tp.Address), Zip: string(tp.Zip), Town: string(tp.Town),
		CountryCode: string(tp.CountryCode), Url: string(tp.URL),
	}
}

// orderContacts converts contacts, removing duplicates, the one owning
// email first.
func orderContacts(cs []doliContact, email string) []*pluginv1.Contact {
	var out []*pluginv1.Contact
	seen := map[flex]bool{}
	for _, c := range cs {
		if seen[c.ID] {
			continue
		}
		seen[c.ID] = true
		pc := &pluginv1.Contact{
			ExternalId: string(c.ID), FirstName: string(c.FirstName), LastName: string(c.LastName),
			Email: string(c.Email), Phone: string(c.PhonePro), Mobile: string(c.PhoneMobile), JobTitle: string(c.Poste),
		}
		if strings.EqualFold(pc.Email, email) {
			out = append([]*pluginv1.Contact{pc}, out...)
		} else {
			out = append(out, pc)
		}
	}
	return out
}

// products turns the third party's contract lines into products: start
// date as purchase, end date as warranty end, or start plus the default
// warranty when the line has no end.
func (d *dolibarr) products(ctx context.Context, socID string) ([]*pluginv1.Product, error) {
	var contracts []doliContract
	if err := d.list(ctx, "/contracts", url.Values{"thirdparty_ids": {socID}, "limit": {"50"}}, &contracts); err != nil {
		return nil, err
	}
	var out []*pluginv1.Product
	for _, c := range contracts {
		for _, l := range c.Lines {
			p := &pluginv1.Product{
				ExternalId:     string(l.ID),
				Reference:      string(l.ProductRef),
				Label:          firstNonEmpty(string(l.ProductLabel), string(l.Label), string(l.Description)),
				PurchasedAt:    firstTime(l.DateStart.unix(), l.DateOuverturePrevue.unix()),
				WarrantyEndsAt: firstTime(l.DateEnd.unix(), l.DateFinValidite.unix()),
				SerialNumber:   serialOf(l.ArrayOptions),
			}
			if p.WarrantyEndsAt == nil && p.PurchasedAt != nil && d.warrantyMonths > 0 {
				p.WarrantyEndsAt = timestamppb.New(addMonths(p.PurchasedAt.AsTime(), d.warrantyMonths))
			}
			out = append(out, p)
		}
	}
	return out, nil
}

// serialOf reads a serial number from a line's extra fields, if the
// Dolibarr admin defined one whose code contains "serial". Dolibarr sends
// extra fields as an object, or as [] when there are none (PHP's empty
// array).
func serialOf(raw json.RawMessage) string {
	var opts map[string]any
	if json.Unmarshal(raw, &opts) != nil {
		return ""
	}
	for k, v := range opts {
		if s, ok := v.(string); ok && strings.Contains(strings.ToLower(k), "serial") {
			return s
		}
	}
	return ""
}

func (d *dolibarr) ping(ctx context.Context) error {
	var v map[string]any
	err := d.http.get(ctx, d.url("/status", nil), &v)
	if errors.Is(err, errNotFound) {
		return sdk.Unavailable("no Dolibarr API at this address (HTTP 404 on /status)")
	}
	return err
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

func firstTime(ts ...*timestamppb.Timestamp) *timestamppb.Timestamp {
	for _, t := range ts {
		if t != nil {
			return t
		}
	}
	return nil
}

func timestamppbNow() *timestamppb.Timestamp { return timestamppb.Now() }
