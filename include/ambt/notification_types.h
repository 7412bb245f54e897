/*
 * notification_types.h: Discourse's notification types
 * (app/models/notification.rb), the numbers both sides use: the watcher
 * reads them from /notifications.json, ambtd writes them. Only the types
 * ambt uses are named.
 */
#ifndef AMBT_NOTIFICATION_TYPES_H
#define AMBT_NOTIFICATION_TYPES_H

enum notification_type {
	NT_MENTIONED = 1,
	NT_REPLIED = 2,
	NT_QUOTED = 3,
	NT_LIKED = 5,
	NT_PRIVATE_MESSAGE = 6,
	NT_INVITED_TO_PM = 7,
	NT_POSTED = 9,
	NT_GROUP_MENTIONED = 15,
	NT_WATCHING_FIRST_POST = 17,
	NT_WATCHING_CATEGORY_OR_TAG = 36,
};

#endif
