package morsim

import (
	"strconv"
)

// usersGet is users_get: the API user is found by u and its password p,
// or without p by its unique hash (the hash, u + p + key, is checked
// before), and sees the users its role may list, in the dataset's
// (database) order.
func (s *Server) usersGet(u, p, uniqueHash string) []byte {
	api := s.users[u]
	known := api != nil && ((p != "" && p == api.Password) || (p == "" && uniqueHash != "" && uniqueHash == api.UniqueHash))
	if !known || api.Role == RoleUser {
		return pageError("Access Denied")
	}
	if api.Role == RoleAccountant && !api.can(PermUsers) {
		return pageError("You are not authorized to view this page")
	}
	var x xmlWriter
	found := 0
	for _, id := range s.userOrder {
		target := s.usersByID[id]
		if !s.listsUser(api, target) {
			continue
		}
		if found == 0 {
			x.open(0, "page")
			x.open(1, "status")
			x.open(2, "users")
		}
		found++
		x.open(3, "user")
		x.leaf(4, "id", strconv.FormatInt(target.ID, 10))
		x.leaf(4, "username", target.Username)
		x.leaf(4, "first_name", target.FirstName)
		x.leaf(4, "last_name", target.LastName)
		balance := target.Balance
		if balance == "" {
			balance = "0.0000"
		}
		x.leaf(4, "balance", balance)
		x.leaf(4, "blocked", map[bool]string{true: "1", false: "0"}[target.Blocked])
		x.leaf(4, "lcr_id", strconv.FormatInt(target.LCRID, 10))
		x.leaf(4, "tariff_id", strconv.FormatInt(target.TariffID, 10))
		x.leaf(4, "owner_id", strconv.FormatInt(target.OwnerID, 10))
		x.leaf(4, "usertype", target.Role)
		x.leaf(4, "hidden", map[bool]string{true: "1", false: "0"}[target.Hidden])
		x.close(3, "user")
	}
	if found == 0 {
		return pageError("No Users found")
	}
	x.close(2, "users")
	x.close(1, "status")
	x.close(0, "page")
	return x.bytes()
}

// listsUser is users_get's scope: the admin lists every user but itself,
// an accountant every user but accountants, a reseller its own users, a
// partner its resellers and their users.
func (s *Server) listsUser(api, target *User) bool {
	switch api.Role {
	case RoleAdmin:
		return target.ID != api.ID
	case RoleAccountant:
		return target.Role != RoleAccountant
	case RoleReseller:
		return target.OwnerID == api.ID && target.ID != api.ID
	case RolePartner:
		if target.OwnerID == api.ID && target.ID != api.ID {
			return true
		}
		owner := s.usersByID[target.OwnerID]
		return owner != nil && owner.Role == RoleReseller && owner.OwnerID == api.ID
	}
	return false
}
