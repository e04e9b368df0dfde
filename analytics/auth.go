package analytics

import (
	"crypto/pbkdf2"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
)

// Credentials are the users allowed to call the server, read from a
// password file in TabPy's format (see [ParsePasswordFile]). Safe for
// concurrent use.
type Credentials struct {
	hashes map[string][]byte // lower-case login -> PBKDF2 hash

	mu       sync.Mutex
	verified map[[32]byte]struct{} // digests of recently verified login:password pairs
}

const verifiedCacheSize = 1024

// HashPassword returns the hex hash that a TabPy password file stores for
// the user: PBKDF2-HMAC-SHA512 of the password, 10,000 iterations, salted
// with "_$salt@tabpy:" + lower-case login + "$_" (what `tabpy-user add` writes).
func HashPassword(login, password string) (string, error) {
	salt := "_$salt@tabpy:" + strings.ToLower(login) + "$_"
	key, err := pbkdf2.Key(sha512.New, password, []byte(salt), 10000, sha512.Size)
	if err != nil {
		return "", fmt.Errorf("analytics: hashing password: %w", err)
	}
	return hex.EncodeToString(key), nil
}

// LoadPasswordFile reads a TabPy password file (TABPY_PWD_FILE).
func LoadPasswordFile(path string) (*Credentials, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("analytics: opening password file: %w", err)
	}
	defer f.Close()
	c, err := ParsePasswordFile(f)
	if err != nil {
		return nil, fmt.Errorf("%w (%s)", err, path)
	}
	return c, nil
}

// ParsePasswordFile reads TabPy's password file format: one "login hash"
// pair per line separated by a single space, where hash is the hex string
// of [HashPassword]; blank lines and lines starting with # are skipped;
// logins are case-insensitive and must be unique. Errors name the line but
// never include a hash.
func ParsePasswordFile(r io.Reader) (*Credentials, error) {
	cr := csv.NewReader(r)
	cr.Comma = ' '
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	c := &Credentials{hashes: map[string][]byte{}}
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%w: line %d: %v", ErrPasswordFile, pe.Line, pe.Err)
			}
			return nil, fmt.Errorf("%w: %v", ErrPasswordFile, err)
		}
		line, _ := cr.FieldPos(0)
		if len(row) != 2 {
			return nil, fmt.Errorf("%w: line %d: want \"login hash\" (2 fields), got %d fields", ErrPasswordFile, line, len(row))
		}
		login := strings.ToLower(row[0])
		if login == "" {
			return nil, fmt.Errorf("%w: line %d: empty login", ErrPasswordFile, line)
		}
		if _, dup := c.hashes[login]; dup {
			return nil, fmt.Errorf("%w: line %d: login %q appears more than once", ErrPasswordFile, line, login)
		}
		if row[1] == "" {
			return nil, fmt.Errorf("%w: line %d: login %q has no password hash", ErrPasswordFile, line, login)
		}
		h, err := hex.DecodeString(strings.ToLower(row[1]))
		if err != nil {
			return nil, fmt.Errorf("%w: line %d: the hash of %q is not hexadecimal", ErrPasswordFile, line, login)
		}
		c.hashes[login] = h
	}
	if len(c.hashes) == 0 {
		return nil, fmt.Errorf("%w: no users", ErrPasswordFile)
	}
	return c, nil
}

// Verify reports whether the login and password match an entry.
// Successful checks are remembered (as a SHA-256 digest, never the
// password) so that repeated requests skip the deliberately slow hash.
func (c *Credentials) Verify(login, password string) bool {
	if c == nil {
		return false
	}
	login = strings.ToLower(login)
	want, ok := c.hashes[login]
	if !ok {
		return false
	}
	d := sha256.New()
	d.Write([]byte(login))
	d.Write([]byte{0})
	d.Write([]byte(password))
	var key [32]byte
	d.Sum(key[:0])
	c.mu.Lock()
	_, seen := c.verified[key]
	c.mu.Unlock()
	if seen {
		return true
	}
	got, err := HashPassword(login, password)
	if err != nil {
		return false
	}
	gotBytes, err := hex.DecodeString(got)
	if err != nil || subtle.ConstantTimeCompare(gotBytes, want) != 1 {
		return false
	}
	c.mu.Lock()
	if c.verified == nil || len(c.verified) >= verifiedCacheSize {
		c.verified = map[[32]byte]struct{}{}
	}
	c.verified[key] = struct{}{}
	c.mu.Unlock()
	return true
}

// basicAuth extracts Basic credentials the way TabPy does: the header
// must be "Basic <base64 of login:password>".
func basicAuth(header string) (login, password string, ok bool) {
	scheme, cred, found := strings.Cut(header, " ")
	if !found || !strings.EqualFold(scheme, "basic") || strings.Contains(cred, " ") {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(cred)
	if err != nil {
		return "", "", false
	}
	return strings.Cut(string(raw), ":")
}
