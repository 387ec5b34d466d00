package provider

import (
	"context"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
)

// logSubsystem holds the API client's log entries (TF_LOG_PROVIDER_MOR_API).
const logSubsystem = "mor_api"

// apiLogger sends the client's entries to the mor_api subsystem, with the key
// and password masked as values and secret-bearing fields masked by key:
// the client never logs them, and this is the second line of defence. It
// is nil when the provider's log is off (TF_LOG_PROVIDER_MOR, the level the
// SDK gives the provider's logger; main.go switches it off when nothing
// reads it) and the subsystem's own level is not set: each entry's masking
// would cost for nothing.
func apiLogger(secrets ...string) mor.LogFunc {
	if strings.EqualFold(os.Getenv("TF_LOG_PROVIDER_MOR"), "off") && os.Getenv("TF_LOG_PROVIDER_MOR_API") == "" {
		return nil
	}
	var mask []string
	for _, s := range secrets {
		if s != "" {
			mask = append(mask, s)
		}
	}
	return func(ctx context.Context, level mor.Level, msg string, fields map[string]any) {
		// TF_LOG_PROVIDER_MOR_API sets this subsystem's level on its own.
		ctx = tflog.NewSubsystem(ctx, logSubsystem, tflog.WithLevelFromEnv("TF_LOG_PROVIDER_MOR", "API"), tflog.WithRootFields())
		ctx = tflog.SubsystemMaskFieldValuesWithFieldKeys(ctx, logSubsystem, "hash", "p", "password", "uniquehash", "api_secret_key", "secret", "md5secret", "remotesecret", "pin")
		if len(mask) > 0 {
			ctx = tflog.SubsystemMaskAllFieldValuesStrings(ctx, logSubsystem, mask...)
			ctx = tflog.SubsystemMaskMessageStrings(ctx, logSubsystem, mask...)
		}
		switch level {
		case mor.LevelTrace:
			tflog.SubsystemTrace(ctx, logSubsystem, msg, fields)
		default:
			tflog.SubsystemDebug(ctx, logSubsystem, msg, fields)
		}
	}
}
