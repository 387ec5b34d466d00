terraform {
  # Provider-defined functions came with Terraform 1.8 (OpenTofu 1.7).
  required_version = ">= 1.8"
  required_providers {
    mor = {
      source = "mor-terraform/mor"
    }
  }
}
