package sdk

import (
	"context"
	"crypto/sha256"
	"hash"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	pluginv1 "github.com/guichet/guichet/sdk/proto/guichet/plugin/v1"
)

func newSHA256() hash.Hash { return sha256.New() }

// LifecycleClient is the host's handle on a plugin's Lifecycle service.
type LifecycleClient struct {
	c      pluginv1.LifecycleClient
	broker *plugin.GRPCBroker
}

var _ Lifecycle = (*LifecycleClient)(nil)

// Describe calls Lifecycle.Describe.
func (l *LifecycleClient) Describe(ctx context.Context, r *pluginv1.DescribeRequest) (*pluginv1.DescribeResponse, error) {
	return l.c.Describe(ctx, r)
}

// Configure calls Lifecycle.Configure. Set r.HostApiBrokerId from
// ServeHostAPI to offer the plugin a HostAPI.
func (l *LifecycleClient) Configure(ctx context.Context, r *pluginv1.ConfigureRequest) (*pluginv1.ConfigureResponse, error) {
	return l.c.Configure(ctx, r)
}

// ValidateSettings calls Lifecycle.ValidateSettings.
func (l *LifecycleClient) ValidateSettings(ctx context.Context, r *pluginv1.ValidateSettingsRequest) (*pluginv1.ValidateSettingsResponse, error) {
	return l.c.ValidateSettings(ctx, r)
}

// CheckHealth calls Lifecycle.CheckHealth.
func (l *LifecycleClient) CheckHealth(ctx context.Context, r *pluginv1.CheckHealthRequest) (*pluginv1.CheckHealthResponse, error) {
	return l.c.CheckHealth(ctx, r)
}

// ServeHostAPI serves h to the plugin through the go-plugin broker and
// returns the broker id to put in ConfigureRequest.HostApiBrokerId. The
// server lives as long as the plugin connection.
func (l *LifecycleClient) ServeHostAPI(h HostAPI) uint32 {
	id := l.broker.NextId()
	go l.broker.AcceptAndServe(id, func(opts []grpc.ServerOption) *grpc.Server {
		s := grpc.NewServer(opts...)
		pluginv1.RegisterHostAPIServer(s, h)
		return s
	})
	return id
}

// AnonymizerClient is the host's handle on a plugin's Anonymizer service.
type AnonymizerClient struct{ c pluginv1.AnonymizerClient }

var _ Anonymizer = (*AnonymizerClient)(nil)

// Anonymize calls Anonymizer.Anonymize.
func (a *AnonymizerClient) Anonymize(ctx context.Context, r *pluginv1.AnonymizeRequest) (*pluginv1.AnonymizeResponse, error) {
	return a.c.Anonymize(ctx, r)
}

// Restore calls Anonymizer.Restore.
func (a *AnonymizerClient) Restore(ctx context.Context, r *pluginv1.RestoreRequest) (*pluginv1.RestoreResponse, error) {
	return a.c.Restore(ctx, r)
}

// CustomerDirectoryClient is the host's handle on a plugin's
// CustomerDirectory service.
type CustomerDirectoryClient struct {
	c pluginv1.CustomerDirectoryClient
}

var _ CustomerDirectory = (*CustomerDirectoryClient)(nil)

// LookupCustomer calls CustomerDirectory.LookupCustomer.
func (d *CustomerDirectoryClient) LookupCustomer(ctx context.Context, r *pluginv1.LookupCustomerRequest) (*pluginv1.LookupCustomerResponse, error) {
	return d.c.LookupCustomer(ctx, r)
}

// KnowledgeSearchClient is the host's handle on a plugin's KnowledgeSearch
// service.
type KnowledgeSearchClient struct {
	c pluginv1.KnowledgeSearchClient
}

var _ KnowledgeSearch = (*KnowledgeSearchClient)(nil)

// IndexArticles calls KnowledgeSearch.IndexArticles.
func (k *KnowledgeSearchClient) IndexArticles(ctx context.Context, r *pluginv1.IndexArticlesRequest) (*pluginv1.IndexArticlesResponse, error) {
	return k.c.IndexArticles(ctx, r)
}

// DeleteArticles calls KnowledgeSearch.DeleteArticles.
func (k *KnowledgeSearchClient) DeleteArticles(ctx context.Context, r *pluginv1.DeleteArticlesRequest) (*pluginv1.DeleteArticlesResponse, error) {
	return k.c.DeleteArticles(ctx, r)
}

// Search calls KnowledgeSearch.Search.
func (k *KnowledgeSearchClient) Search(ctx context.Context, r *pluginv1.SearchRequest) (*pluginv1.SearchResponse, error) {
	return k.c.Search(ctx, r)
}

// AssignmentClient is the host's handle on a plugin's Assignment service.
type AssignmentClient struct{ c pluginv1.AssignmentClient }

var _ Assignment = (*AssignmentClient)(nil)

// SuggestAssignee calls Assignment.SuggestAssignee.
func (a *AssignmentClient) SuggestAssignee(ctx context.Context, r *pluginv1.SuggestAssigneeRequest) (*pluginv1.SuggestAssigneeResponse, error) {
	return a.c.SuggestAssignee(ctx, r)
}

// PagesClient is the host's handle on a plugin's Pages service.
type PagesClient struct{ c pluginv1.PagesClient }

var _ Pages = (*PagesClient)(nil)

// ListPages calls Pages.ListPages.
func (p *PagesClient) ListPages(ctx context.Context, r *pluginv1.ListPagesRequest) (*pluginv1.ListPagesResponse, error) {
	return p.c.ListPages(ctx, r)
}

// EventSinkClient is the host's handle on a plugin's EventSink service.
type EventSinkClient struct{ c pluginv1.EventSinkClient }

var _ EventSink = (*EventSinkClient)(nil)

// HandleEvent calls EventSink.HandleEvent.
func (e *EventSinkClient) HandleEvent(ctx context.Context, r *pluginv1.HandleEventRequest) (*pluginv1.HandleEventResponse, error) {
	return e.c.HandleEvent(ctx, r)
}
