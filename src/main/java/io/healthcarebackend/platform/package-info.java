/**
 * Cross-cutting building blocks every module may use: ids, tenancy, the current user, errors,
 * pagination, web and security plumbing, observability. It uses no other module.
 */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package io.healthcarebackend.platform;
