package wrapper

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"testing"
)

// pagedClients serves total clients in pages of size, recording the page
// numbers asked for. stuck makes every page claim page_number 1.
func pagedClients(t *testing.T, total, size int, stuck bool, failOn int) (*fake, *[]int) {
	f := newFake(t)
	var asked []int
	f.handle("GET /v2/oauth_clients", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("page[number]"))
		if n == 0 {
			n = 1
		}
		asked = append(asked, n)
		if n == failOn {
			gatewayErr(w, 500, "x", "boom")
			return
		}
		pages := (total + size - 1) / size
		var data []map[string]any
		for i := (n - 1) * size; i < min(n*size, total); i++ {
			data = append(data, clientJSON(fmt.Sprintf("c%d", i), "n"))
		}
		if data == nil {
			data = []map[string]any{}
		}
		pn := n
		if stuck {
			pn = 1
		}
		writeJSON(w, 200, map[string]any{"data": data, "meta": map[string]int{"page_number": pn, "page_size": size, "total_pages": pages, "total_results": total}})
	})
	return f, &asked
}

func ids(cs []OAuthClient) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ClientID)
	}
	return out
}

func TestAllWalksThreePages(t *testing.T) {
	f, asked := pagedClients(t, 6, 2, false, 0)
	c := newTestClient(t, f, WithAPIKey(testKey))
	got, err := Collect(c.Clients.All(context.Background(), ListClientsParams{PageSize: 2}))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(ids(got)) != "[c0 c1 c2 c3 c4 c5]" {
		t.Errorf("items %v", ids(got))
	}
	if fmt.Sprint(*asked) != "[1 2 3]" {
		t.Errorf("pages asked %v", *asked)
	}
}

func TestListOnePage(t *testing.T) {
	f, _ := pagedClients(t, 5, 2, false, 0)
	c := newTestClient(t, f, WithAPIKey(testKey))
	p, err := c.Clients.List(context.Background(), ListClientsParams{PageSize: 2, PageNumber: 3})
	if err != nil {
		t.Fatal(err)
	}
	want := PageMeta{PageNumber: 3, PageSize: 2, TotalPages: 3, TotalResults: 5}
	if p.Meta != want || len(p.Items) != 1 || !p.Meta.Last() {
		t.Errorf("got %+v %v", p.Meta, ids(p.Items))
	}
}

func TestAllEarlyBreak(t *testing.T) {
	f, asked := pagedClients(t, 6, 2, false, 0)
	c := newTestClient(t, f, WithAPIKey(testKey))
	n := 0
	for _, err := range c.Clients.All(context.Background(), ListClientsParams{PageSize: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 3 {
			break
		}
	}
	if fmt.Sprint(*asked) != "[1 2]" {
		t.Errorf("pages asked %v", *asked)
	}
}

func TestAllLimit(t *testing.T) {
	f, asked := pagedClients(t, 6, 2, false, 0)
	c := newTestClient(t, f, WithAPIKey(testKey))
	got, err := Collect(c.Clients.All(context.Background(), ListClientsParams{PageSize: 2, Limit: 3}))
	if err != nil || len(got) != 3 || fmt.Sprint(*asked) != "[1 2]" {
		t.Errorf("got %v %v, pages %v", ids(got), err, *asked)
	}
}

func TestAllErrorMidStreamYieldedOnce(t *testing.T) {
	f, _ := pagedClients(t, 6, 2, false, 2)
	c := newTestClient(t, f, WithAPIKey(testKey), WithMaxRetries(0))
	var items, errs int
	for _, err := range c.Clients.All(context.Background(), ListClientsParams{PageSize: 2}) {
		if err != nil {
			errs++
			if !errors.Is(err, ErrServer) {
				t.Errorf("error %v", err)
			}
			continue // a well-behaved iterator ends after the error anyway
		}
		items++
	}
	if items != 2 || errs != 1 {
		t.Errorf("items %d errors %d, want 2 and 1", items, errs)
	}
}

func TestAllRefusesStuckPageNumber(t *testing.T) {
	f, asked := pagedClients(t, 6, 2, true, 0)
	c := newTestClient(t, f, WithAPIKey(testKey))
	got, err := Collect(c.Clients.All(context.Background(), ListClientsParams{PageSize: 2}))
	if err == nil || len(got) != 2 || len(*asked) != 2 {
		t.Errorf("got %v %v, pages %v", ids(got), err, *asked)
	}
}

func TestAllCancelBetweenPages(t *testing.T) {
	f, asked := pagedClients(t, 6, 2, false, 0)
	c := newTestClient(t, f, WithAPIKey(testKey))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var items int
	var last error
	for _, err := range c.Clients.All(ctx, ListClientsParams{PageSize: 2}) {
		if err != nil {
			last = err
			continue
		}
		if items++; items == 2 {
			cancel() // end of page 1
		}
	}
	if !errors.Is(last, context.Canceled) || items != 2 || len(*asked) != 1 {
		t.Errorf("items %d err %v pages %v", items, last, *asked)
	}
}

func TestAllStopsOnEmptyPage(t *testing.T) {
	f := newFake(t)
	f.handle("GET /v2/oauth_grants", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("page[number]") == "2" {
			writeJSON(w, 200, map[string]any{"data": []any{}, "meta": map[string]int{"page_number": 2}})
			return
		}
		writeJSON(w, 200, map[string]any{"data": []any{grantJSON(grantUUID)}, "meta": map[string]int{"page_number": 1}})
	})
	c := newTestClient(t, f, WithAPIKey(testKey))
	got, err := Collect(c.Grants.All(context.Background(), ListGrantsParams{}))
	if err != nil || len(got) != 1 || f.count("GET /v2/oauth_grants") != 2 {
		t.Errorf("got %d items, %v, %d requests", len(got), err, f.count("GET /v2/oauth_grants"))
	}
}

func TestListFiltersAndValidation(t *testing.T) {
	f := newFake(t)
	f.handle("GET /v2/oauth_clients", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		want := map[string]string{
			"filter[client_type]": "public", "filter[verified]": "true",
			"filter[allowed_grant_types][contains]": "authorization_code", "filter[name]": "exact",
			"filter[name][contains]": "part", "filter[client_id]": "cid", "page[size]": "10", "page[number]": "2",
		}
		for k, v := range want {
			if q.Get(k) != v {
				t.Errorf("%s = %q, want %q", k, q.Get(k), v)
			}
		}
		writeJSON(w, 200, map[string]any{"data": []any{}})
	})
	c := newTestClient(t, f, WithAPIKey(testKey))
	yes := true
	_, err := c.Clients.List(context.Background(), ListClientsParams{ClientType: ClientPublic, Verified: &yes, GrantType: GrantAuthorizationCode,
		Name: "exact", NameContains: "part", ClientID: "cid", PageSize: 10, PageNumber: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []ListClientsParams{{PageSize: 101}, {PageNumber: -1}, {ClientType: "weird"}, {GrantType: "implicit"}} {
		if _, err := c.Clients.List(context.Background(), p); err == nil {
			t.Errorf("%+v accepted", p)
		}
		if _, err := Collect(c.Clients.All(context.Background(), p)); err == nil {
			t.Errorf("All(%+v) accepted", p)
		}
	}
	if f.count("GET /v2/oauth_clients") != 1 {
		t.Error("invalid params reached the server")
	}
}
