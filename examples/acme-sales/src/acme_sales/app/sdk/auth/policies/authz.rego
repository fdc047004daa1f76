# Authorization rules. Each rule_* answers one question with true or false, for the input
#
#   {"roles": ["USER", ...], "subject": "<the caller's user id>", "user_id": "<the target's id>"}
#
# `subject` comes from a verified token; `user_id` names the user the action is applied to ("" when
# it targets no one). Every rule defaults to false: a decision is true only when a rule body holds.
package authz

import rego.v1

role_admin := "ADMIN"

role_user := "USER"

role_all := {role_admin, role_user}

default rule_any := false

rule_any if {
	some role in input.roles
	role in role_all
}

default rule_admin_only := false

rule_admin_only if {
	role_admin in input.roles
}

default rule_user_only := false

rule_user_only if {
	role_user in input.roles
}

default rule_admin_or_subject := false

rule_admin_or_subject if {
	role_admin in input.roles
}

rule_admin_or_subject if {
	role_user in input.roles
	input.subject != ""
	input.subject == input.user_id
}
