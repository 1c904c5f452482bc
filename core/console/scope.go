package console

import (
	"context"

	"github.com/guichet/guichet/core/agent"
	"github.com/guichet/guichet/core/ticket"
)

// scopeOf is the one place an agent's ticket scope is built: admins see
// every queue; other agents read the queues they have any access to and
// change those where they have write access. Every ticket read and write
// of the console (lists, counts, views, replies, changes, attachments, live
// updates) passes the scope built here.
func (c *Console) scopeOf(ctx context.Context, a *agent.Agent) (ticket.Scope, map[int64]agent.Access, error) {
	access, err := c.Agents.QueueAccess(ctx, a.ID)
	if err != nil {
		return ticket.Scope{}, nil, err
	}
	if a.IsAdmin() {
		return ticket.AllQueues(), access, nil
	}
	var read, write []int64
	for q, acc := range access {
		switch acc {
		case agent.Write:
			write = append(write, q)
		case agent.Read:
			read = append(read, q)
		}
	}
	return ticket.Queues(read, write), access, nil
}
