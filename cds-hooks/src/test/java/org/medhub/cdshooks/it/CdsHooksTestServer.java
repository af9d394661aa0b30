package org.medhub.cdshooks.it;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The CDS services with the ML engine and /fhir in one server, as in the all-in-one app. */
@SpringBootApplication
class CdsHooksTestServer {}
