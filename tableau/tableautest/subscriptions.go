package tableautest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

const codeSubscriptionNotFound = "404025" // Resource Not Found: subscription

// subscription is an email subscription of a user to a view or workbook,
// on a server schedule of type Subscription or, as on Tableau Cloud, on a
// schedule of its own (Freq).
type subscription struct {
	ID, SiteID, Subject, Message string
	AttachImage, AttachPdf       bool
	PageOrientation, PageSize    string
	Suspended, SendIfViewEmpty   bool
	ContentType, ContentID       string // View or Workbook
	ScheduleID, UserID           string
	// Freq is the subscription's own schedule (Tableau Cloud), set when
	// ScheduleID is empty.
	Freq    *frequencyDetails
	Created time.Time
}

type subscriptionsPart struct {
	byID  map[string]*subscription
	order []string
}

func (p *subscriptionsPart) get(siteID, id string) *subscription {
	if x := p.byID[id]; x != nil && x.SiteID == siteID {
		return x
	}
	return nil
}

type subscriptionView struct {
	subscription
	userName, schedName string
}

func subscriptionElem(v subscriptionView) *elem {
	e := newElem("subscription").set("id", v.ID).set("subject", v.Subject).
		set("attachImage", boolStr(v.AttachImage)).set("attachPdf", boolStr(v.AttachPdf)).
		set("suspended", boolStr(v.Suspended))
	e.setIf("message", v.Message).setIf("pageOrientation", v.PageOrientation).setIf("pageSizeOption", v.PageSize)
	e.add(newElem("content").set("id", v.ContentID).set("type", v.ContentType).set("sendIfViewEmpty", boolStr(v.SendIfViewEmpty)))
	if v.Freq != nil {
		// Tableau Cloud: the schedule is the subscription's own, without an id.
		e.add(newElem("schedule").set("frequency", v.Freq.Frequency).set("nextRunAt", formatTime(v.Freq.nextRun(time.Now()))).
			add(frequencyElem(*v.Freq)))
	} else {
		e.add(newElem("schedule").set("id", v.ScheduleID).set("name", v.schedName))
	}
	return e.add(newElem("user").set("id", v.UserID).set("name", v.userName))
}

var subscriptionsSchema = listSchema[subscriptionView]{
	plural: "subscriptions",
	render: subscriptionElem,
	fields: []field[subscriptionView]{
		{name: "subject", kind: kindString, value: func(v subscriptionView) string { return v.Subject }},
		{name: "userId", kind: kindString, value: func(v subscriptionView) string { return v.UserID }},
		{name: "scheduleId", kind: kindString, value: func(v subscriptionView) string { return v.ScheduleID }},
		{name: "contentId", kind: kindString, value: func(v subscriptionView) string { return v.ContentID }},
	},
}

func (st *store) subscriptionView(x *subscription) subscriptionView {
	v := subscriptionView{subscription: *x}
	if u := st.users.byID[x.UserID]; u != nil {
		v.userName = u.Name
	}
	if sc := st.gov.schedules.byID[x.ScheduleID]; sc != nil {
		v.schedName = sc.Name
	}
	return v
}

func (s *Server) routesSubscriptions(rt *router) {
	rt.site("GET", "subscriptions", "tableau:subscriptions:read", s.listSubscriptions)
	rt.site("POST", "subscriptions", "tableau:subscriptions:create", s.createSubscription)
	rt.site("GET", "subscriptions/{subID}", "tableau:subscriptions:read", s.getSubscription)
	rt.site("PUT", "subscriptions/{subID}", "tableau:subscriptions:update", s.updateSubscription)
	rt.site("DELETE", "subscriptions/{subID}", "tableau:subscriptions:delete", s.deleteSubscription)
}

func (s *Server) listSubscriptions(w http.ResponseWriter, r *http.Request, sess session) {
	s.store.mu.RLock()
	var views []subscriptionView
	for _, id := range s.store.gov.subscriptions.order {
		if x := s.store.gov.subscriptions.byID[id]; x.SiteID == sess.siteID {
			views = append(views, s.store.subscriptionView(x))
		}
	}
	s.store.mu.RUnlock()
	writeList(w, r, &subscriptionsSchema, views)
}

func (s *Server) getSubscription(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("subID")
	s.store.mu.RLock()
	x := s.store.gov.subscriptions.get(sess.siteID, id)
	var v subscriptionView
	if x != nil {
		v = s.store.subscriptionView(x)
	}
	s.store.mu.RUnlock()
	if x == nil {
		writeError(w, r, errNotFound(codeSubscriptionNotFound, "Subscription", id))
		return
	}
	writeXML(w, r, http.StatusOK, subscriptionElem(v))
}

type subscriptionRequest struct {
	Subscription *struct {
		Subject         *string `xml:"subject,attr"`
		Message         *string `xml:"message,attr"`
		AttachImage     *string `xml:"attachImage,attr"`
		AttachPdf       *string `xml:"attachPdf,attr"`
		PageOrientation *string `xml:"pageOrientation,attr"`
		PageSizeOption  *string `xml:"pageSizeOption,attr"`
		Suspended       *string `xml:"suspended,attr"`
		Content         *struct {
			ID              string  `xml:"id,attr"`
			Type            string  `xml:"type,attr"`
			SendIfViewEmpty *string `xml:"sendIfViewEmpty,attr"`
		} `xml:"content"`
		Schedule *struct {
			ID               string               `xml:"id,attr"`
			Frequency        *string              `xml:"frequency,attr"`
			FrequencyDetails *frequencyDetailsXML `xml:"frequencyDetails"`
		} `xml:"schedule"`
		User *struct {
			ID string `xml:"id,attr"`
		} `xml:"user"`
	} `xml:"subscription"`
}

// applySubscription sets the fields present in a request. Callers hold store.mu.
func (s *Server) applySubscription(sess session, x *subscription, req *subscriptionRequest) *apiError {
	in := req.Subscription
	if in.Subject != nil {
		if strings.TrimSpace(*in.Subject) == "" {
			return errBadRequest("The subscription subject is empty.")
		}
		x.Subject = *in.Subject
	}
	if in.Message != nil {
		x.Message = *in.Message
	}
	for _, b := range []struct {
		name string
		v    *string
		dst  *bool
	}{{"attachImage", in.AttachImage, &x.AttachImage}, {"attachPdf", in.AttachPdf, &x.AttachPdf}, {"suspended", in.Suspended, &x.Suspended}} {
		if b.v != nil {
			v, aerr := optBool(b.name, b.v)
			if aerr != nil {
				return aerr
			}
			*b.dst = v
		}
	}
	if in.PageOrientation != nil {
		if *in.PageOrientation != "PORTRAIT" && *in.PageOrientation != "LANDSCAPE" {
			return errBadRequest(fmt.Sprintf("The pageOrientation '%s' is not PORTRAIT or LANDSCAPE.", *in.PageOrientation))
		}
		x.PageOrientation = *in.PageOrientation
	}
	if in.PageSizeOption != nil {
		x.PageSize = *in.PageSizeOption
	}
	if in.Content != nil {
		if in.Content.ID != "" {
			kind := strings.ToLower(in.Content.Type)
			if kind != "view" && kind != "workbook" {
				return errBadRequest(fmt.Sprintf("The content type '%s' is not View or Workbook.", in.Content.Type))
			}
			if _, ok := s.store.lookupContent(sess.siteID, kind, in.Content.ID); !ok {
				return contentNotFound(kind, in.Content.ID)
			}
			x.ContentID, x.ContentType = in.Content.ID, strings.ToUpper(kind[:1])+kind[1:]
		}
		if in.Content.SendIfViewEmpty != nil {
			v, aerr := optBool("sendIfViewEmpty", in.Content.SendIfViewEmpty)
			if aerr != nil {
				return aerr
			}
			x.SendIfViewEmpty = v
		}
	}
	if in.Schedule != nil && in.Schedule.ID != "" && in.Schedule.Frequency != nil {
		return badSchedule("A subscription's schedule has either an id (a server schedule) or a frequency (its own schedule), not both.")
	}
	if in.Schedule != nil && in.Schedule.Frequency != nil {
		fd, aerr := parseFrequency(*in.Schedule.Frequency, in.Schedule.FrequencyDetails)
		if aerr != nil {
			return aerr
		}
		x.Freq, x.ScheduleID = &fd, ""
	}
	if in.Schedule != nil && in.Schedule.ID != "" {
		sc := s.store.gov.schedules.byID[in.Schedule.ID]
		if sc == nil {
			return errNotFound(codeScheduleNotFound, "Schedule", in.Schedule.ID)
		}
		if sc.Type != "Subscription" {
			return badSchedule("The schedule '%s' is a %s schedule, not a Subscription schedule.", sc.Name, sc.Type)
		}
		x.ScheduleID, x.Freq = sc.ID, nil
	}
	if in.User != nil && in.User.ID != "" {
		if s.store.users.get(sess.siteID, in.User.ID) == nil {
			return errNotFound(codeUserNotFound, "User", in.User.ID)
		}
		x.UserID = in.User.ID
	}
	return nil
}

func (s *Server) createSubscription(w http.ResponseWriter, r *http.Request, sess session) {
	var req subscriptionRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	in := req.Subscription
	if in == nil || in.Subject == nil || in.Content == nil || in.Schedule == nil || in.User == nil ||
		(in.Schedule.ID == "" && in.Schedule.Frequency == nil) {
		writeError(w, r, errBadRequest("A subscription needs a subject, content, a schedule (an id, or a frequency with its frequencyDetails) and a user."))
		return
	}
	s.store.mu.Lock()
	v, aerr := func() (subscriptionView, *apiError) {
		if in.User.ID != sess.userID && !s.store.isSiteAdmin(sess) {
			return subscriptionView{}, errForbidden("Only administrators may subscribe other users.")
		}
		x := &subscription{SiteID: sess.siteID, Created: s.now()}
		if aerr := s.applySubscription(sess, x, &req); aerr != nil {
			return subscriptionView{}, aerr
		}
		p := &s.store.gov.subscriptions
		x.ID = newID()
		p.byID[x.ID] = x
		p.order = append(p.order, x.ID)
		return s.store.subscriptionView(x), nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusCreated, subscriptionElem(v))
}

func (s *Server) updateSubscription(w http.ResponseWriter, r *http.Request, sess session) {
	var req subscriptionRequest
	if aerr := readRequest(r, &req); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	if req.Subscription == nil {
		writeError(w, r, errBadRequest("The request has no subscription element."))
		return
	}
	id := r.PathValue("subID")
	s.store.mu.Lock()
	v, aerr := func() (subscriptionView, *apiError) {
		x := s.store.gov.subscriptions.get(sess.siteID, id)
		if x == nil {
			return subscriptionView{}, errNotFound(codeSubscriptionNotFound, "Subscription", id)
		}
		if x.UserID != sess.userID && !s.store.isSiteAdmin(sess) {
			return subscriptionView{}, errForbidden("Only administrators may change other users' subscriptions.")
		}
		upd := *x
		if aerr := s.applySubscription(sess, &upd, &req); aerr != nil {
			return subscriptionView{}, aerr
		}
		*x = upd
		return s.store.subscriptionView(x), nil
	}()
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	writeXML(w, r, http.StatusOK, subscriptionElem(v))
}

func (s *Server) deleteSubscription(w http.ResponseWriter, r *http.Request, sess session) {
	id := r.PathValue("subID")
	s.store.mu.Lock()
	p := &s.store.gov.subscriptions
	x := p.get(sess.siteID, id)
	var aerr *apiError
	switch {
	case x == nil:
		aerr = errNotFound(codeSubscriptionNotFound, "Subscription", id)
	case x.UserID != sess.userID && !s.store.isSiteAdmin(sess):
		aerr = errForbidden("Only administrators may delete other users' subscriptions.")
	default:
		delete(p.byID, id)
		p.order = slices.DeleteFunc(p.order, func(v string) bool { return v == id })
	}
	s.store.mu.Unlock()
	if aerr != nil {
		writeError(w, r, aerr)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
