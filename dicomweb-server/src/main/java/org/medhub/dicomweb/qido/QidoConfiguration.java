package org.medhub.dicomweb.qido;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** QIDO-RS, answered from the index. */
@Configuration(proxyBeanMethods = false)
@Import(QidoController.class)
public class QidoConfiguration {}
