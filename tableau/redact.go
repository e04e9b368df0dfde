package tableau

import (
	"errors"
	"strings"
)

// redact replaces every secret the session knows (the credentials' secrets
// and the current token) in s with [REDACTED].
func (s *Session) redact(text string) string {
	if text == "" {
		return text
	}
	s.mu.RLock()
	token := s.token
	minted := s.minted
	s.mu.RUnlock()
	for _, secret := range s.secrets {
		text = strings.ReplaceAll(text, secret, redacted)
	}
	for _, secret := range minted {
		text = strings.ReplaceAll(text, secret, redacted)
	}
	if token != "" {
		text = strings.ReplaceAll(text, token, redacted)
	}
	return text
}

// redactedError keeps the chain of an error whose text held a secret.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// redactErr returns err, or a wrapper with the secrets removed from its text.
func (s *Session) redactErr(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if clean := s.redact(msg); clean != msg {
		return &redactedError{msg: clean, err: errors.Unwrap(err)}
	}
	return err
}

// maxMinted is how many minted tokens the session remembers to redact.
const maxMinted = 4

// rememberMinted adds a token minted for a sign-in to the secrets redacted.
func (s *Session) rememberMinted(tok string) {
	if tok == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.minted = append(s.minted, tok)
	if len(s.minted) > maxMinted {
		s.minted = s.minted[len(s.minted)-maxMinted:]
	}
}
