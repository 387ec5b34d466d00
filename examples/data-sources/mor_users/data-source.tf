# Every user the API user may see. users_get needs the API user's login
# password: set password in the provider block or MOR_PASSWORD.
data "mor_users" "all" {}

# The admin's own customers: the users whose devices the admin may list.
data "mor_users" "own_customers" {
  owner_id = 0
  usertype = "user"
}

output "own_customer_ids" {
  value = [for u in data.mor_users.own_customers.users : u.id]
}

output "blocked_users" {
  value = [for u in data.mor_users.all.users : u.username if u.blocked == true]
}

# Resellers' customers, by reseller id: only that reseller's API user may
# list their devices. MOR may send a type in capitals, or leave a field out.
output "resellers_customers" {
  value = { for u in data.mor_users.all.users : u.username => u.owner_id if try(lower(u.usertype), "") == "user" && u.owner_id != null && u.owner_id != 0 }
}
