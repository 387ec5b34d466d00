package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
)

// logSubsystem holds the API client's log entries (TF_LOG_PROVIDER_MOR_API).
const logSubsystem = "mor_api"

// apiLogger sends the client's entries to the mor_api subsystem, with the key
// and password masked as values and secret-bearing fields masked by key:
// the client never logs them, and this is the second line of defence.
func apiLogger(secrets ...string) mor.LogFunc {
	var mask []string
	for _, s := range secrets {
		if s != "" {
			mask = append(mask, s)
		}
	}
	return func(ctx context.Context, level mor.Level, msg string, fields map[string]any) {
		// TF_LOG_PROVIDER_MOR_API sets this subsystem's level on its own.
		ctx = tflog.NewSubsystem(ctx, logSubsystem, tflog.WithLevelFromEnv("TF_LOG_PROVIDER_MOR", "API"), tflog.WithRootFields())
		ctx = tflog.SubsystemMaskFieldValuesWithFieldKeys(ctx, logSubsystem, "hash", "p", "password", "api_secret_key", "secret", "md5secret", "remotesecret", "pin")
		if len(mask) > 0 {
			ctx = tflog.SubsystemMaskAllFieldValuesStrings(ctx, logSubsystem, mask...)
			ctx = tflog.SubsystemMaskMessageStrings(ctx, logSubsystem, mask...)
		}
		switch level {
		case mor.LevelTrace:
			tflog.SubsystemTrace(ctx, logSubsystem, msg, fields)
		case mor.LevelWarn:
			tflog.SubsystemWarn(ctx, logSubsystem, msg, fields)
		default:
			tflog.SubsystemDebug(ctx, logSubsystem, msg, fields)
		}
	}
}
