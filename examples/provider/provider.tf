terraform {
  required_providers {
    mor = {
      source = "mor-terraform/mor"
    }
  }
}

# Credentials are best taken from the environment: MOR_URL, MOR_USERNAME,
# MOR_API_SECRET_KEY, and MOR_PASSWORD (the API user's login password, which
# mor_users needs, as do MOR 12 and older). A setting left
# null, as these variables are by default, is taken from its environment
# variable; one set in the block wins over it.
variable "mor_url" {
  description = "MOR web root, e.g. https://mor.example.com/billing (default: MOR_URL)."
  type        = string
  default     = null
}

variable "mor_username" {
  description = "Login name of the MOR API user (default: MOR_USERNAME)."
  type        = string
  default     = null
}

variable "mor_api_secret_key" {
  description = "MOR's API secret key (default: MOR_API_SECRET_KEY)."
  type        = string
  default     = null
  sensitive   = true
}

provider "mor" {
  url            = var.mor_url
  username       = var.mor_username
  api_secret_key = var.mor_api_secret_key

  request_timeout         = "30s" # per HTTP request, answer included
  max_retries             = 3     # transient failures only; MOR's own errors are never retried
  max_concurrent_requests = 4     # requests in flight to MOR at once
}
