package watch

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/tokenaudit/token-audit/server/source"
	"github.com/tokenaudit/token-audit/server/store/storetest"
)

// BenchmarkScan10000 is the scan of 10,000 tokens over 1,000 owners with the database and the KV
// store simulated in memory: the engine's judging and the registry's writes, not the reads of a
// real server. It reports the KV writes of a rescan (the registry rewrites nothing within an hour
// of the last sighting) and of a scan that finds 100 new tokens, 10 of them of system admins.
//
//	cd server && go test -run '^$' -bench Scan10000 -benchtime 5x ./watch/
func BenchmarkScan10000(b *testing.B) {
	api := newFakeAPI()
	tokens := &fakeTokens{}
	for i := range 10000 {
		owner := fmt.Sprintf("owner%021d", i%1000)
		if _, ok := api.users[owner]; !ok {
			api.users[owner] = &model.User{Id: owner, Username: fmt.Sprintf("user%d", i%1000), Roles: "system_user"}
		}
		tokens.tokens = append(tokens.tokens, source.Token{ID: fmt.Sprintf("tok%023d", i), UserID: owner, Description: "bench", IsActive: i%5 != 0})
	}
	kv := storetest.NewMemKV()
	c := &clock{now: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	w := node(b, kv, api, tokens, c)
	ctx := context.Background()
	if _, err := w.ScanOnce(ctx); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var rescanWrites int
	for range b.N {
		r, err := w.ScanOnce(ctx)
		if err != nil {
			b.Fatal(err)
		}
		rescanWrites = r.KVWrites
	}
	b.StopTimer()
	for i := range 100 {
		owner := fmt.Sprintf("owner%021d", i%1000)
		if i < 10 {
			owner = adminID
		}
		tokens.tokens = append(tokens.tokens, source.Token{ID: fmt.Sprintf("new%023d", i), UserID: owner, Description: "new", IsActive: true})
	}
	r, err := w.ScanOnce(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(rescanWrites), "kv-writes/rescan")
	b.ReportMetric(float64(r.KVWrites), "kv-writes/scan-with-100-new")
	b.ReportMetric(float64(r.Alerted), "alerts/scan-with-100-new")
}
