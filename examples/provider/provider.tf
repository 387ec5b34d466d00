terraform {
  required_providers {
    mor = {
      source = "mor-terraform/mor"
    }
  }
}

# Credentials are best taken from the environment:
#   MOR_URL, MOR_USERNAME, MOR_API_SECRET_KEY, and MOR_PASSWORD (the API user's login
#   password) for mor_users, or on MOR 12 or older.
provider "mor" {
  url      = "https://mor.example.com/billing"
  username = "admin"
  # api_secret_key = var.mor_api_secret_key

  request_timeout         = "30s"
  max_retries             = 3
  max_concurrent_requests = 4
}
