package webhooks

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/tableau-go/sdk/rest"
)

// Subscribe creates one Tableau webhook per event type (a Tableau webhook has
// exactly one event), all posting to destination, named "name: EventType".
// Everything is checked before the first request: the name, the event types
// (they must be in the catalogue) and the destination ([CheckDestination]).
// If a creation fails, the webhooks created so far are deleted again and the
// error is returned. Use [DestinationURL] to put the handler's token in the
// destination.
func Subscribe(ctx context.Context, svc *rest.WebhooksService, name, destination string, types ...EventType) ([]rest.Webhook, error) {
	if svc == nil {
		return nil, errors.New("webhooks: Subscribe needs the REST webhooks service (client.Webhooks)")
	}
	if strings.TrimSpace(name) == "" {
		return nil, errors.New("webhooks: Subscribe needs a name")
	}
	if len(types) == 0 {
		return nil, errors.New("webhooks: Subscribe needs at least one event type")
	}
	for _, t := range types {
		if !t.Known() {
			return nil, &unknownEventError{name: string(t)}
		}
	}
	if err := CheckDestination(destination); err != nil {
		return nil, err
	}
	var created []rest.Webhook
	for _, t := range types {
		w, err := svc.Create(ctx, rest.WebhookCreate{
			Name:        fmt.Sprintf("%s: %s", name, t),
			Event:       t.SourceName(),
			URL:         destination,
			Destination: &rest.DestinationOptions{AllowLoopbackHTTP: true}, // checked above
		})
		if err != nil {
			for _, c := range created {
				_ = svc.Delete(ctx, c.ID)
			}
			return nil, fmt.Errorf("webhooks: creating the %s webhook: %w", t, err)
		}
		created = append(created, *w)
	}
	return created, nil
}

// Unsubscribe deletes every webhook of the site that posts to destination and
// returns how many it deleted.
func Unsubscribe(ctx context.Context, svc *rest.WebhooksService, destination string) (int, error) {
	if svc == nil {
		return 0, errors.New("webhooks: Unsubscribe needs the REST webhooks service (client.Webhooks)")
	}
	all, err := svc.List(ctx)
	if err != nil {
		return 0, fmt.Errorf("webhooks: listing webhooks: %w", err)
	}
	n := 0
	for _, w := range all {
		if w.URL != destination {
			continue
		}
		if err := svc.Delete(ctx, w.ID); err != nil {
			return n, fmt.Errorf("webhooks: deleting webhook %s: %w", w.ID, err)
		}
		n++
	}
	return n, nil
}
