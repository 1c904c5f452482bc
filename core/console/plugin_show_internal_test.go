package console

import "testing"

// The real plugins never refuse a whole configuration in a test, so the
// placing of such a refusal is checked here: "_" (and any name the form
// does not show) goes above the form, each field's message beside it.
func TestPluginFieldErrorsPlacement(t *testing.T) {
	cases := []struct {
		name      string
		fields    map[string]string
		wantRest  string
		wantField map[string]string
	}{
		{name: "field errors go beside their fields", fields: map[string]string{"base_url": "bad url", "api_key": "required"},
			wantField: map[string]string{"base_url": "bad url", "api_key": "required"}},
		{name: "refused whole configuration goes above", fields: map[string]string{"_": "the ERP refused the key"},
			wantRest: "the ERP refused the key ", wantField: map[string]string{"base_url": "", "api_key": ""}},
		{name: "an unknown field is not lost", fields: map[string]string{"gone": "unknown setting", "api_key": "required"},
			wantRest: "unknown setting ", wantField: map[string]string{"base_url": "", "api_key": "required"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := pluginView{Fields: []fieldView{{Name: "base_url"}, {Name: "api_key"}}}
			if rest := v.fieldErrors(tc.fields); rest != tc.wantRest {
				t.Errorf("above the form: %q, want %q", rest, tc.wantRest)
			}
			for _, f := range v.Fields {
				if f.Error != tc.wantField[f.Name] {
					t.Errorf("field %s: %q, want %q", f.Name, f.Error, tc.wantField[f.Name])
				}
			}
		})
	}
}
