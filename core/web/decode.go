package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"sort"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/errs"
)

// MaxJSONBody caps JSON request bodies.
const MaxJSONBody = 1 << 20

// DecodeJSON reads the request body into dst strictly: at most MaxJSONBody
// bytes (TooLarge beyond), a single JSON object, and every unknown field
// named in one Invalid error, so nothing is half applied.
func DecodeJSON(c *gin.Context, dst any) error {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, MaxJSONBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return errs.E(errs.TooLarge, "request body larger than %d bytes", MaxJSONBody)
		}
		return errs.Wrap(errs.Invalid, err, "cannot read request body")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return errs.Wrap(errs.Invalid, err, "request body must be a JSON object")
	}
	known := jsonFields(reflect.TypeOf(dst).Elem())
	unknown := map[string]string{}
	for k := range fields {
		if !known[k] {
			unknown[k] = "unknown field"
		}
	}
	if len(unknown) > 0 {
		names := make([]string, 0, len(unknown))
		for k := range unknown {
			names = append(names, k)
		}
		sort.Strings(names)
		return errs.Fields("unknown fields: "+strings.Join(names, ", "), unknown)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(dst); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return errs.Fields("wrong type", map[string]string{typeErr.Field: "must be " + typeErr.Type.String()})
		}
		return errs.Wrap(errs.Invalid, err, "malformed JSON")
	}
	return nil
}

func jsonFields(t reflect.Type) map[string]bool {
	out := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = true
	}
	return out
}
