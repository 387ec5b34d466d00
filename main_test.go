package main

import "testing"

func TestLogsUnread(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		environ []string
		unread  bool
	}{
		{[]string{"HOME=/root", "PATH=/bin"}, true},
		{[]string{"TF_LOG="}, true},
		{[]string{"TF_LOG=TRACE"}, false},
		{[]string{"TF_LOG_PROVIDER=DEBUG"}, false},
		{[]string{"TF_LOG_PROVIDER_MOR_API=TRACE"}, false},
		{[]string{"TF_LOG_SDK_FRAMEWORK=TRACE"}, false},
		{[]string{"TF_LOG_PATH=/tmp/tf.log"}, false},
		{[]string{"TOFU_LOG=DEBUG"}, false},
		{[]string{"MY_TF_LOG=TRACE"}, true},
	} {
		if got := logsUnread(tc.environ); got != tc.unread {
			t.Errorf("logsUnread(%q) = %v, want %v", tc.environ, got, tc.unread)
		}
	}
}
