module github.com/guichet/guichet

go 1.26.8
