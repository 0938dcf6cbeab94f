package dev.baton.spring.demo;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** An application that only adds the starter: its ChatModel, ChatClient, health and meters are all auto-configured. */
@SpringBootApplication
public class DemoApplication {}
