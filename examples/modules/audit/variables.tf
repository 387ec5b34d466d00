variable "user_ids" {
  description = "MOR users to audit: their devices (each read in full with mor_device), the DIDs they own and their devices' CLIs. The API user must be allowed to read them: the admin for the admin's users, a reseller for its own. Left out (null), the module lists users with mor_users (the provider needs its password) and audits every customer (usertype user) whose owner_id is scope_owner_id; the others are reported in unaudited_users."
  type        = list(number)
  default     = null
}

variable "scope_owner_id" {
  description = "With user_ids left out: the owner_id of the users whose devices the API user may list: 0 for the admin or an accountant, the reseller's own user id for a reseller's API user. Left out (null), it is found in mor_users' answer: the owner no listed user is (users_get leaves the API user out), or 0."
  type        = number
  default     = null
}

variable "all_dids" {
  description = "Also audit every DID the API user sees, not only the audited users' (one dids_get call)."
  type        = bool
  default     = false
}

variable "all_clis" {
  description = "Also audit every CLI the API user sees, not only the audited users' (one device_clis_get call). Needed to find a CLI shared with a device of a user not audited."
  type        = bool
  default     = false
}

variable "max_devices_per_cli" {
  description = "A CLI on more devices than this is reported by the cli_shared_by_devices rule."
  type        = number
  default     = 1
  validation {
    condition     = var.max_devices_per_cli >= 1 && floor(var.max_devices_per_cli) == var.max_devices_per_cli
    error_message = "max_devices_per_cli must be a whole number of at least 1."
  }
}

variable "min_permit_prefix_length" {
  description = "Threshold of the device_permit_too_wide rule: a device whose permit holds an IPv4 network shorter than this prefix length (wider than a /16 by default) is reported."
  type        = number
  default     = 16
  validation {
    condition     = var.min_permit_prefix_length >= 1 && var.min_permit_prefix_length <= 32 && floor(var.min_permit_prefix_length) == var.min_permit_prefix_length
    error_message = "min_permit_prefix_length must be a whole number from 1 to 32."
  }
}
