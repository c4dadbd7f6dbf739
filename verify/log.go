package verify

import (
	"log/slog"
	"time"
)

const (
	slogWarn  = slog.LevelWarn
	slogDebug = slog.LevelDebug
)

func attrURL(u string) slog.Attr                  { return slog.String("url", u) }
func attrErr(err error) slog.Attr                 { return slog.String("error", err.Error()) }
func attrInt(k string, v int) slog.Attr           { return slog.Int(k, v) }
func attrDur(k string, d time.Duration) slog.Attr { return slog.Duration(k, d) }
