package webhooks

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// Event is one webhook delivery from Tableau, decoded.
//
// Tableau's payload carries resource, event_type, resource_name, site_luid,
// resource_luid and created_at; fields this package does not know are kept
// in Raw. Marshalled to JSON, an Event has the payload's field names plus
// id and received_at.
type Event struct {
	// Resource is the kind of item (DATASOURCE, WORKBOOK, ...).
	Resource Resource `json:"resource"`
	// Type is the event_type, e.g. DatasourceRefreshFailed. It may be a type
	// that is not in the catalogue (a newer Tableau); see [EventType.Known].
	Type EventType `json:"event_type"`
	// ResourceName is the name of the item.
	ResourceName string `json:"resource_name"`
	// SiteLUID is the site's id.
	SiteLUID string `json:"site_luid"`
	// ResourceLUID is the item's id.
	ResourceLUID string `json:"resource_luid"`
	// CreatedAt is when the event happened, per Tableau. Zero when the
	// payload had none.
	CreatedAt time.Time `json:"created_at"`

	// ID is this package's identity for the event: a digest of event_type,
	// site_luid, resource_luid, created_at and resource_name, the same for
	// every duplicate delivery of one Tableau event.
	ID string `json:"id"`
	// ReceivedAt is when the handler accepted the event.
	ReceivedAt time.Time `json:"received_at"`
	// Raw is the payload exactly as received (nil for the test event sent
	// with an empty body).
	Raw json.RawMessage `json:"-"`
}

// IsTest reports whether e is the test delivery of Tableau's "Test a Webhook".
func (e *Event) IsTest() bool { return e.Type == EventTest }

// wirePayload is the JSON shape of a payload.
type wirePayload struct {
	Resource     *string `json:"resource"`
	EventType    *string `json:"event_type"`
	ResourceName *string `json:"resource_name"`
	SiteLUID     *string `json:"site_luid"`
	ResourceLUID *string `json:"resource_luid"`
	CreatedAt    *string `json:"created_at"`
}

// ParseEvent decodes a Tableau webhook payload. Unknown fields are ignored
// (and kept in [Event.Raw]). An empty body, or a JSON object without
// event_type, is the test event ([EventTest]). It returns a *[PayloadError]
// for a body that is not a JSON object, for a field of the wrong type, and for
// a created_at that is not an RFC 3339 time.
func ParseEvent(body []byte) (Event, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		e := Event{Type: EventTest}
		e.ID = eventID(&e)
		return e, nil
	}
	if trimmed[0] != '{' {
		return Event{}, &PayloadError{Reason: "not a JSON object"}
	}
	var w wirePayload
	if err := json.Unmarshal(trimmed, &w); err != nil {
		var te *json.UnmarshalTypeError
		if asTypeError(err, &te) {
			return Event{}, &PayloadError{Field: te.Field, Reason: "wrong JSON type " + te.Value}
		}
		return Event{}, &PayloadError{Reason: "not valid JSON", Err: err}
	}
	e := Event{Raw: json.RawMessage(append([]byte(nil), trimmed...))}
	if w.EventType == nil || *w.EventType == "" {
		e.Type = EventTest
	} else {
		e.Type = EventType(*w.EventType)
	}
	e.Resource = Resource(deref(w.Resource))
	e.ResourceName = deref(w.ResourceName)
	e.SiteLUID = deref(w.SiteLUID)
	e.ResourceLUID = deref(w.ResourceLUID)
	if c := deref(w.CreatedAt); c != "" {
		t, err := time.Parse(time.RFC3339Nano, c)
		if err != nil {
			return Event{}, &PayloadError{Field: "created_at", Reason: "not an RFC 3339 time", Err: err}
		}
		e.CreatedAt = t
	}
	e.ID = eventID(&e)
	return e, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func asTypeError(err error, te **json.UnmarshalTypeError) bool {
	t, ok := err.(*json.UnmarshalTypeError)
	if ok {
		*te = t
	}
	return ok
}

// eventID digests the fields that identify one Tableau event.
func eventID(e *Event) string {
	h := sha256.New()
	for _, s := range []string{string(e.Type), e.SiteLUID, e.ResourceLUID, string(e.Resource), e.ResourceName} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	if !e.CreatedAt.IsZero() {
		h.Write([]byte(e.CreatedAt.UTC().Format(time.RFC3339Nano)))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
