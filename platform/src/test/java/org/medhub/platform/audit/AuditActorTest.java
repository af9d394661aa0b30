package org.medhub.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

class AuditActorTest {

    @AfterEach
    void clearContext() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void aKeycloakTokenNamesUserClientRolesAndIssuer() {
        SecurityContextHolder.getContext().setAuthentication(authenticated(jwt(Map.of(
                "sub", "8f1c-42",
                "preferred_username", "clinician",
                "azp", "medhub-web",
                "iss", "http://localhost:8081/realms/medhub",
                "realm_access", Map.of("roles", List.of("clinician", "default-roles-medhub"))))));

        AuditActor actor = AuditActor.current();

        assertThat(actor.user()).isEqualTo("clinician");
        assertThat(actor.subject()).isEqualTo("8f1c-42");
        assertThat(actor.client()).isEqualTo("medhub-web");
        assertThat(actor.issuer()).isEqualTo("http://localhost:8081/realms/medhub");
        assertThat(actor.roles()).containsExactlyInAnyOrder("clinician", "default-roles-medhub");
        assertThat(actor.isAnonymous()).isFalse();
        assertThat(actor.userReference().getIdentifier().getSystem()).isEqualTo(AuditActor.USER_SYSTEM);
        assertThat(actor.userReference().getIdentifier().getValue()).isEqualTo("clinician");
        assertThat(actor.clientReference().getIdentifier().getValue()).isEqualTo("medhub-web");
        assertThat(actor.clientReference().getIdentifier().getAssigner().getDisplay())
                .isEqualTo("http://localhost:8081/realms/medhub");
    }

    @Test
    void aTokenWithoutUserNameOrRolesFallsBackToTheSubject() {
        AuditActor actor = AuditActor.of(authenticated(jwt(Map.of("sub", "service-account-1"))));

        assertThat(actor.user()).isEqualTo("service-account-1");
        assertThat(actor.client()).isNull();
        assertThat(actor.roles()).isEmpty();
        assertThat(actor.clientReference().getDisplay()).isEqualTo("unknown client");
    }

    @Test
    void noAuthenticationOrAnAnonymousOneIsTheAnonymousActor() {
        assertThat(AuditActor.current().isAnonymous()).isTrue();
        assertThat(AuditActor.current().userReference().getDisplay()).isEqualTo(AuditActor.ANONYMOUS);
        assertThat(AuditActor.current().userReference().hasIdentifier()).isFalse();

        AnonymousAuthenticationToken anonymous = new AnonymousAuthenticationToken(
                "key", "anonymousUser", AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));
        assertThat(AuditActor.of(anonymous).isAnonymous()).isTrue();
    }

    @Test
    void otherAuthenticationsGiveTheirNameAndRoleAuthorities() {
        UsernamePasswordAuthenticationToken authentication = UsernamePasswordAuthenticationToken.authenticated(
                "admin", "n/a", AuthorityUtils.createAuthorityList("ROLE_admin", "SCOPE_openid"));

        AuditActor actor = AuditActor.of(authentication);

        assertThat(actor.user()).isEqualTo("admin");
        assertThat(actor.roles()).containsExactly("admin");
    }

    /** As Spring Security's resource server leaves it after validating the token. */
    static JwtAuthenticationToken authenticated(Jwt jwt) {
        return new JwtAuthenticationToken(jwt, AuthorityUtils.NO_AUTHORITIES);
    }

    static Jwt jwt(Map<String, Object> claims) {
        Jwt.Builder builder = Jwt.withTokenValue("token")
                .header("alg", "RS256")
                .issuedAt(Instant.now())
                .expiresAt(Instant.now().plusSeconds(300));
        claims.forEach(builder::claim);
        return builder.build();
    }
}
