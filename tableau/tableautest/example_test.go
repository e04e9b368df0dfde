package tableautest_test

import (
	"encoding/xml"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"

	"github.com/tableau-go/sdk/tableau/tableautest"
)

// Example starts an emulator, signs in with its personal access token over
// plain HTTP and lists the projects of the Default site.
func Example() {
	srv, err := tableautest.NewServer(nil)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	cr := srv.Credentials()

	body := fmt.Sprintf(`<tsRequest><credentials personalAccessTokenName=%q personalAccessTokenSecret=%q><site contentUrl=""/></credentials></tsRequest>`,
		cr.PATName, cr.PATSecret)
	resp, err := http.Post(srv.URL()+"/api/3.24/auth/signin", "application/xml", strings.NewReader(body))
	if err != nil {
		log.Fatal(err)
	}
	var signIn struct {
		Credentials struct {
			Token string `xml:"token,attr"`
			Site  struct {
				ID string `xml:"id,attr"`
			} `xml:"site"`
		} `xml:"credentials"`
	}
	err = xml.NewDecoder(resp.Body).Decode(&signIn)
	resp.Body.Close()
	if err != nil {
		log.Fatal(err)
	}

	req, _ := http.NewRequest("GET", srv.URL()+"/api/3.24/sites/"+signIn.Credentials.Site.ID+"/projects", nil)
	req.Header.Set("X-Tableau-Auth", signIn.Credentials.Token)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var list struct {
		Pagination struct {
			Total string `xml:"totalAvailable,attr"`
		} `xml:"pagination"`
		Projects []struct {
			Name string `xml:"name,attr"`
		} `xml:"projects>project"`
	}
	if err := xml.NewDecoder(resp.Body).Decode(&list); err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.Status, "projects:", list.Pagination.Total)
	for _, p := range list.Projects {
		fmt.Println(p.Name)
	}
	// Output:
	// 200 OK projects: 1
	// Default
}

// ExampleFaults makes the next request fail with 429 Too Many Requests.
func ExampleFaults() {
	srv, err := tableautest.NewServer(nil)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	srv.Faults().OnlyPath("/serverinfo").RateLimit(1, "2")
	for range 2 {
		resp, err := http.Get(srv.URL() + "/api/3.24/serverinfo")
		if err != nil {
			log.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// Output:
	// 429 2
	// 200
}
